import { describe, expect, test } from "bun:test";
import { clusterWilsonInterval, passAtK, round, wilsonInterval } from "../../../src/statistics/index.ts";
import { loadRun } from "../../../src/store/reader.ts";
import { summarizeGroup } from "../../../src/summary/group-summary.ts";
import { summarizeRun } from "../../../src/summary/run-summary.ts";
import { writeAllStatusesRun, writeHandMadeRun } from "../../helpers/hand-made-run.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** summary.json's figures, computed here from their definitions (README, "Results layout"). */

const KEYS = [
  "n_trials",
  "n_ran",
  "n_graded",
  "n_success",
  "n_failed_trials",
  "status_counts",
  "success_rate",
  "success_ci_low",
  "success_ci_high",
  "success_ci_clustered",
  "pass_at_k",
  "mean_resolved_rate",
  "resolved_at_k_rate",
  "n_flaky_verify",
  "avg_duration_s",
  "avg_turns",
  "avg_tool_calls",
  "avg_tool_failures",
  "avg_total_tokens",
  "sd_total_tokens",
  "cv_total_tokens",
  "total_tokens",
  "avg_output_tokens",
  "avg_cache_read_tokens",
  "total_cache_read_tokens",
  "avg_reasoning_tokens",
  "avg_aiu",
  "sd_aiu",
  "cv_aiu",
  "total_aiu",
  "aiu_per_solve",
  "n_aiu_known",
  "avg_api_duration_ms",
  "avg_diff_files",
  "avg_diff_lines_added",
  "avg_diff_lines_removed",
  "avg_files_modified",
  "avg_lines_added",
  "avg_lines_removed",
];

describe("summarizeGroup", () => {
  test("every metric lands in its own figure: averages over trials that ran, totals over all", () => {
    // Distinct values, so a figure read from the wrong metric shows.
    const metrics = {
      total_tokens: 1001,
      cache_read_tokens: 1002,
      aiu: 1.003,
      n_turns: 4,
      n_tool_calls: 5,
      n_tool_failures: 6,
      output_tokens: 1007,
      reasoning_tokens: 1008,
      api_duration_ms: 1009,
      diff_files: 10,
      diff_lines_added: 11,
      diff_lines_removed: 12,
      files_modified: 13,
      lines_added: 14,
      lines_removed: 15,
    };
    const dir = writeHandMadeRun(tempDir(), {
      runId: "20260110T000000Z_5e5e5e",
      variants: [{ slug: "v" }],
      tasks: [{ slug: "t" }],
      trials: [
        { variant: "v", task: "t", trial: 1, status: "ok", metrics, durationS: 20 },
        // Did not run: its cost counts in the totals, nothing else of it does.
        {
          variant: "v",
          task: "t",
          trial: 2,
          status: "copilot_failed",
          metrics: { aiu: 2, total_tokens: 3000, cache_read_tokens: 500, n_turns: 99 },
        },
      ],
    });
    const s = summarizeGroup(loadRun(dir).trials);
    expect(Object.keys(s)).toEqual(KEYS);
    expect(s).toMatchObject({
      n_trials: 2,
      n_ran: 1,
      n_graded: 1,
      n_success: 1,
      n_failed_trials: 1,
      status_counts: { ok: 1, copilot_failed: 1, timeout: 0, harness_error: 0, interrupted: 0, skipped: 0 },
      avg_duration_s: 20,
      avg_turns: 4,
      avg_tool_calls: 5,
      avg_tool_failures: 6,
      avg_total_tokens: 1001,
      sd_total_tokens: null,
      total_tokens: 4001,
      avg_output_tokens: 1007,
      avg_cache_read_tokens: 1002,
      total_cache_read_tokens: 1502,
      avg_reasoning_tokens: 1008,
      avg_aiu: 1.003,
      total_aiu: 3.003,
      aiu_per_solve: 3.003,
      n_aiu_known: 2,
      avg_api_duration_ms: 1009,
      avg_diff_files: 10,
      avg_diff_lines_added: 11,
      avg_diff_lines_removed: 12,
      avg_files_modified: 13,
      avg_lines_added: 14,
      avg_lines_removed: 15,
    });
  });

  test("rates, spreads, pass@k and rounding, figure by figure", () => {
    const aius = [0.1, 0.2, 0.7, 1 / 3];
    const dir = writeHandMadeRun(tempDir(), {
      runId: "20260109T000000Z_a66a66",
      variants: [{ slug: "v" }],
      tasks: [{ slug: "t" }, { slug: "u" }, { slug: "w", graded: false }],
      trials: [
        ...aius.map((aiu, i) => ({
          variant: "v",
          task: "t",
          trial: i + 1,
          status: "ok" as const,
          success: i % 2 === 0,
          flaky: i === 3,
          metrics: { aiu, total_tokens: 1000 * (i + 1) },
          durationS: 1 / 7,
        })),
        ...[false, false].map((success, i) => ({
          variant: "v",
          task: "u",
          trial: i + 1,
          status: "timeout" as const,
          success,
          metrics: { aiu: null, total_tokens: 10 },
          durationS: 2 / 3,
        })),
        { variant: "v", task: "w", trial: 1, status: "ok" as const, success: null, metrics: { aiu: 0.5 } },
        { variant: "v", task: "w", trial: 2, status: "skipped" as const },
      ],
    });
    const s = summarizeGroup(loadRun(dir).trials);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const ranAiu = [...aius, 0.5];
    const tokens = [1000, 2000, 3000, 4000, 10, 10, 6120];
    const mean = (xs: number[]) => sum(xs) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(sum(xs.map((x) => (x - mean(xs)) ** 2)) / (xs.length - 1));
    const ci = wilsonInterval(2, 6)!;
    expect(s).toMatchObject({
      n_trials: 8,
      n_ran: 7,
      n_graded: 6,
      n_success: 2,
      success_rate: round(2 / 6, 4),
      success_ci_low: round(ci.low, 4),
      success_ci_high: round(ci.high, 4),
      // Tasks t (2 of 4) and u (0 of 2); w is not graded. k goes up to 2, the smaller count.
      pass_at_k: {
        "1": round((passAtK(4, 2, 1)! + passAtK(2, 0, 1)!) / 2, 4),
        "2": round((passAtK(4, 2, 2)! + passAtK(2, 0, 2)!) / 2, 4),
      },
      mean_resolved_rate: 0.25,
      resolved_at_k_rate: 0.5,
      n_flaky_verify: 1,
      avg_duration_s: round((4 / 7 + 4 / 3 + 11) / 7, 4),
      avg_aiu: round(mean(ranAiu), 4),
      sd_aiu: round(sd(ranAiu), 4),
      cv_aiu: round(sd(ranAiu) / mean(ranAiu), 4),
      total_aiu: round(sum(ranAiu), 4),
      aiu_per_solve: round(round(sum(ranAiu), 4) / 2, 4),
      n_aiu_known: 5,
      avg_total_tokens: round(mean(tokens), 4),
      sd_total_tokens: round(sd(tokens), 4),
      total_tokens: sum(tokens),
    });
    // Clustered by task over the graded trials per task: t 2 of 4, u 0 of 2 (w is not graded).
    const c = clusterWilsonInterval([
      { successes: 2, n: 4 },
      { successes: 0, n: 2 },
    ])!;
    expect(s.success_ci_clustered).toEqual({
      rate: round(c.rate, 4),
      low: round(c.low, 4),
      high: round(c.high, 4),
      level: 0.95,
      n_tasks: 2,
      n_trials: 6,
      design_effect: round(c.design_effect, 4),
      n_effective: round(c.n_effective, 4),
      method: "cluster_wilson",
    });
    // Wider than the pooled interval: the two tasks differ.
    expect(c.high - c.low).toBeGreaterThan(ci.high - ci.low);
  });

  test("no trials: counts of zero, figures of null", () => {
    const s = summarizeGroup([]);
    expect(Object.keys(s)).toEqual(KEYS);
    expect(s.n_trials).toBe(0);
    expect(s.pass_at_k).toEqual({});
    for (const key of KEYS.filter((k) => k.startsWith("avg_") || k.startsWith("total_")))
      expect([key, s[key as keyof typeof s]]).toEqual([key, null]);
  });
});

describe("summarizeRun", () => {
  test("the run, each variant, each (variant, task) and each task are summarized as groups", () => {
    const run = loadRun(writeAllStatusesRun(tempDir()));
    const { generated_at, ...summary } = summarizeRun(run);
    expect(Date.parse(generated_at)).not.toBeNaN();
    const only = (variant: string | null, task: string | null) =>
      run.trials.filter(
        (t) => (variant === null || t.meta.variant === variant) && (task === null || t.meta.task === task),
      );
    expect(summary.overall).toEqual(summarizeGroup(run.trials));
    expect(summary.variants.map((v) => v.variant)).toEqual(["base", "tuned"]);
    for (const v of summary.variants) {
      const { variant, name, tasks, ...figures } = v;
      expect(figures).toEqual(summarizeGroup(only(variant, null)));
      expect(tasks.map((t) => t.task)).toEqual(["alpha", "beta"]);
      for (const { task, name: _, ...cell } of tasks)
        expect(cell).toEqual(summarizeGroup(only(variant, task)));
    }
    for (const { task, name: _, ...figures } of summary.tasks) {
      expect(figures).toEqual(summarizeGroup(only(null, task)));
      expect(figures.success_ci_clustered).toBeNull(); // one task: one cluster
    }
    expect(summary.overall.n_trials).toBe(8);
    for (const v of summary.variants)
      for (const cell of v.tasks) expect(cell.success_ci_clustered).toBeNull();
    // The run's clustered interval: per task, the graded trials of every variant summed.
    const perTask = ["alpha", "beta"].map((task) => {
      const graded = only(null, task).filter(
        (t) => (t.meta.status === "ok" || t.meta.status === "timeout") && t.meta.success !== null,
      );
      return { successes: graded.filter((t) => t.meta.success).length, n: graded.length };
    });
    expect(perTask.every((t) => t.n > 0)).toBe(true);
    const c = clusterWilsonInterval(perTask)!;
    expect(summary.overall.success_ci_clustered).toMatchObject({
      n_tasks: 2,
      n_trials: perTask[0]!.n + perTask[1]!.n,
      low: round(c.low, 4),
      high: round(c.high, 4),
    });
  });
});
