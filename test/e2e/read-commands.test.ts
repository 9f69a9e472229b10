import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { cpSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXPORT_COLUMNS } from "../../src/formats/export.ts";
import { probeBwrap } from "../../src/sandbox/bwrap.ts";
import { clusterWilsonInterval, round } from "../../src/statistics/index.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { COPILOT, copyExampleRoot } from "../helpers/example-root.ts";
import {
  ALL_STATUSES_RUN_ID,
  type HandTrial,
  writeAllStatusesRun,
  writeHandMadeRun,
} from "../helpers/hand-made-run.ts";
import { tempDir } from "../helpers/tmp.ts";

/**
 * The read commands (list, show, inspect, export, reindex, compare) against (a) the results tree
 * of one real run — the real Copilot CLI against the scripted provider, once, in beforeAll — and
 * (b) a hand-made tree with every trial status and runs built to make `compare` decide.
 */

// Several CLI processes per test: on a loaded machine each takes seconds.
setDefaultTimeout(60_000);

const EXPERIMENT = "fix-the-calculator";

/** RFC 4180: fields separated by commas, records by CRLF (or LF), quoted fields with "" escapes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || (ch === "\r" && text[i + 1] === "\n")) {
      if (ch === "\r") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

function expectWidth(out: string, width: number, except: RegExp = /^folder /): void {
  for (const line of out.split("\n")) {
    if (except.test(line)) continue;
    expect([...line].length, line).toBeLessThanOrEqual(width);
  }
}

const cli = (args: string[], columns = 80): Promise<CliResult> =>
  runCli(args, { env: { COLUMNS: String(columns) } });

function dumpIndex(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const order: Record<string, string> = {
      experiments: "experiment",
      runs: "run_id",
      variants: "run_id, variant",
      tasks: "run_id, task",
      trials: "run_id, variant, task, trial",
    };
    return Object.fromEntries(
      Object.entries(order).map(([t, o]) => [t, db.query(`SELECT * FROM ${t} ORDER BY ${o}`).all()]),
    );
  } finally {
    db.close();
  }
}

describe("read commands on a real run", () => {
  let root: string;
  let runId: string;
  let runDir: string;
  const metas: { variant: string; task: string; trial: number; status: string; success: boolean | null }[] =
    [];

  beforeAll(async () => {
    root = copyExampleRoot();
    const run = await runCli(["run", "--root", root, "--copilot", COPILOT]);
    if (run.code !== 0) throw new Error(`run failed (${run.code}): ${run.stderr}`);
    runId = readdirSync(join(root, "results", EXPERIMENT))[0]!;
    runDir = join(root, "results", EXPERIMENT, runId);
    for (const variant of readdirSync(join(runDir, "variants"))) {
      for (const task of readdirSync(join(runDir, "variants", variant, "tasks"))) {
        const trials = join(runDir, "variants", variant, "tasks", task, "trials");
        for (const n of readdirSync(trials)) {
          metas.push(JSON.parse(readFileSync(join(trials, n, "meta.json"), "utf8")));
        }
      }
    }
  }, 180_000);

  test("the bundled example passes in the sandbox where bubblewrap works (auto), else without", async () => {
    const expected = (await probeBwrap()).ok ? "bwrap" : "none";
    const record = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(record.options.sandbox).toBe(expected);
    expect(metas.map((m) => (m as { sandbox?: string }).sandbox)).toEqual(metas.map(() => expected));
    expect(metas.filter((m) => m.success).length).toBeGreaterThan(0);
  });

  test("list shows the experiment and the run with its success rate from the index", async () => {
    const { code, stdout } = await cli(["list", "--root", root, "--json"]);
    expect(code).toBe(0);
    const data = JSON.parse(stdout);
    expect(data.experiments.map((e: { slug: string }) => e.slug)).toEqual([EXPERIMENT]);
    const graded = metas.filter((m) => m.status === "ok" && m.success !== null);
    expect(data.runs).toHaveLength(1);
    expect(data.runs[0]).toMatchObject({
      run_id: runId,
      experiment: EXPERIMENT,
      status: "completed",
      n_trials: metas.length,
      n_success: graded.filter((m) => m.success).length,
      success_rate: Number((graded.filter((m) => m.success).length / graded.length).toFixed(4)),
    });
    const text = await cli(["list", "--root", root]);
    expect(text.stdout).toContain(runId);
    expect(text.stdout).toContain("Fix the calculator");
    expectWidth(text.stdout, 80);
  });

  test("list on a folder with results but no experiments still lists the runs", async () => {
    const only = tempDir();
    cpSync(join(root, "results"), join(only, "results"), { recursive: true });
    const { code, stdout } = await cli(["list", "--root", only, "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ experiments: [], runs: [{ run_id: runId }] });
  });

  test("show --last: status, per-variant table with intervals, cost, tasks, context additions", async () => {
    const { code, stdout } = await cli(["show", "--last", "--root", root]);
    expect(code).toBe(0);
    for (const part of [runId, "completed", "Variants", "Cost", "Tasks", "fix-multiply", "fix-divide"]) {
      expect(stdout).toContain(part);
    }
    expect(stdout).toMatch(/100% \[51–100\]/); // 4/4 with its Wilson interval
    expect(stdout).toContain("Context additions");
    expect(stdout).toContain(".github/copilot-instructions.md");
    expectWidth(stdout, 80);
    const wide = await cli(["show", "--last", "--root", root], 160);
    expect(wide.stdout).toContain("fixer with instructions");
    expectWidth(wide.stdout, 160);
  });

  test("show RUN-PREFIX --json: the summary computed from the trials", async () => {
    const { code, stdout } = await cli(["show", runId.slice(0, 12), "--root", root, "--json"]);
    expect(code).toBe(0);
    const { summary, run } = JSON.parse(stdout);
    expect(run.run_id).toBe(runId);
    for (const v of summary.variants) {
      const mine = metas.filter((m) => m.variant === v.variant);
      expect(v.n_trials).toBe(mine.length);
      expect(v.n_success).toBe(mine.filter((m) => m.success).length);
    }
  });

  test("the interval clustered by task: summary.json, show, summary.md hold clusterWilsonInterval's", async () => {
    // Graded trials that ran, counted per task from the meta.json files.
    const perTask = (variant: string | null) =>
      [...new Set(metas.map((m) => m.task))].map((task) => {
        const graded = metas.filter(
          (m) =>
            (variant === null || m.variant === variant) &&
            m.task === task &&
            (m.status === "ok" || m.status === "timeout") &&
            m.success !== null,
        );
        return { successes: graded.filter((m) => m.success).length, n: graded.length };
      });
    const expected = (variant: string | null) => {
      const c = clusterWilsonInterval(perTask(variant))!;
      return { ...c, rate: round(c.rate, 4), low: round(c.low, 4), high: round(c.high, 4) };
    };
    const bracket = (c: { low: number; high: number }) =>
      `[${(c.low * 100).toFixed(0)}–${(c.high * 100).toFixed(0)}]`;
    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
    expect(summary.overall.success_ci_clustered).toMatchObject({ ...expected(null), n_tasks: 2 });
    expect(summary.overall.success_ci_clustered.design_effect).toBeCloseTo(expected(null).design_effect, 4);
    for (const v of summary.variants) {
      expect(v.success_ci_clustered).toMatchObject({
        low: expected(v.variant).low,
        high: expected(v.variant).high,
        n_trials: v.n_graded,
      });
      for (const cell of v.tasks) expect(cell.success_ci_clustered).toBeNull();
    }
    for (const t of summary.tasks) expect(t.success_ci_clustered).toBeNull();

    const show = await cli(["show", runId, "--root", root]);
    expect(show.stdout).toContain(`95% CI, clustered by task ${bracket(expected(null))} (2 tasks`);
    expect(show.stdout).toContain("clustered by task");
    const table = show.stdout.split("\n\n").find((s) => s.startsWith("Success, 95% intervals"))!;
    expect(table.split("\n")[1]).toMatch(/variant +success +Wilson +clustered by task +tasks +design effect/);
    const fixer = table.split("\n").find((l) => l.startsWith("scripted fixer "))!;
    expect(fixer.split(/ {2,}/).slice(1)).toEqual([
      "100%",
      "[51–100]",
      bracket(expected("scripted-fixer")),
      "2",
      "1.00",
    ]);
    expectWidth(show.stdout, 80);

    const md = readFileSync(join(runDir, "summary.md"), "utf8");
    expect(md).toContain(`(95% CI, clustered by task: ${bracket(expected(null))})`);
    expect(md).toContain("| 95% CI, clustered by task |");
    const row = md.split("\n").find((l) => l.startsWith("| scripted fixer |"))!;
    expect(row.split(" | ")[3]).toBe(bracket(expected("scripted-fixer")));
  });

  test("inspect: one trial's meta, metrics, verify tail, diff stat and last events", async () => {
    const args = ["inspect", runId, "--root", root, "--variant", "scripted-fixer", "--task", "fix-multiply"];
    const { code, stdout } = await cli([...args, "--trial", "2", "--events", "5", "--json"]);
    expect(code).toBe(0);
    const x = JSON.parse(stdout);
    const metrics = JSON.parse(readFileSync(join(x.dir, "metrics.json"), "utf8"));
    expect(x.meta).toMatchObject({ variant: "scripted-fixer", task: "fix-multiply", trial: 2, status: "ok" });
    expect(x.events).toHaveLength(5);
    expect(x.events.at(-1).type).toBe("session.shutdown");
    expect(x.n_events).toBe(metrics.n_events);
    expect(x.diff.files.map((f: { path: string }) => f.path)).toEqual(["calculator.py"]);
    expect([x.diff.added, x.diff.removed]).toEqual([metrics.diff_lines_added, metrics.diff_lines_removed]);
    expect(x.verify.success).toBe(true);
    expect(x.verify.output_tail).toContain("OK");
    const text = await cli([...args, "--events", "8"]);
    expect(text.code).toBe(0);
    for (const part of [
      "status     ok",
      "Metrics",
      "Verify:",
      "Diff: 1 file",
      "Last 8 of",
      "session.shutdown",
    ]) {
      expect(text.stdout).toContain(part);
    }
    expectWidth(text.stdout, 80);
  });

  test("export --format csv round-trips through a CSV parser, prompt included", async () => {
    const { code, stdout } = await cli(["export", "--last", "--root", root, "--format", "csv"]);
    expect(code).toBe(0);
    const rows = csvObjects(stdout);
    expect(parseCsv(stdout)[0]).toEqual(EXPORT_COLUMNS.map((c) => c.name));
    expect(rows).toHaveLength(metas.length);
    for (const row of rows) {
      const dir = join(
        runDir,
        "variants",
        row.variant!,
        "tasks",
        row.task!,
        "trials",
        row.trial!.padStart(3, "0"),
      );
      expect(row.prompt).toBe(readFileSync(join(dir, "prompt.md"), "utf8"));
      const metrics = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8"));
      expect(Number(row.total_tokens)).toBe(metrics.total_tokens);
      expect(JSON.parse(row.tool_calls_by_name!)).toEqual(metrics.tool_calls_by_name);
    }
    expect(rows[0]!.prompt).toContain("\n");
  });

  test("export --format jsonl: the same rows and column order", async () => {
    const csv = csvObjects((await cli(["export", runId, "--root", root])).stdout);
    const { code, stdout } = await cli(["export", runId, "--root", root, "--format", "jsonl"]);
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(csv.length);
    expect(Object.keys(rows[0])).toEqual(EXPORT_COLUMNS.map((c) => c.name));
    expect(rows.map((r) => r.session_id)).toEqual(csv.map((r) => r.session_id));
  });

  test("reindex rebuilds exactly the rows the run wrote at its end", async () => {
    const path = join(root, "results", "index.db");
    const before = dumpIndex(path);
    expect(before.trials).toHaveLength(metas.length);
    const { code, stdout } = await cli(["reindex", "--root", root]);
    expect(code).toBe(0);
    expect(stdout).toContain(`indexed 1 runs, ${metas.length} trials`);
    expect(dumpIndex(path)).toEqual(before);
    const json = JSON.parse((await cli(["reindex", "--root", root, "--json"])).stdout);
    expect(json).toMatchObject({ runs: 1, trials: metas.length, skipped: [] });
  });

  test("compare two variants of the run: per-task Fisher, the stratified exact test, token ratios", async () => {
    const args = ["compare", "--last", "--root", root, "--variants", "scripted-fixer,idle-agent"];
    const { code, stdout } = await cli([...args, "--json"]);
    expect(code).toBe(0);
    const [c] = JSON.parse(stdout).comparisons;
    expect(c.tasks.map((t: { task: string }) => t.task)).toEqual(["fix-multiply", "fix-divide"]);
    for (const t of c.tasks) {
      expect(t.a).toMatchObject({ n_graded: 2, n_success: 2 });
      expect(t.b).toMatchObject({ n_graded: 1, n_success: 0 });
      expect(t.p).toBeCloseTo(1 / 3, 10); // Fisher, [[2,0],[0,1]]
    }
    // Each task: 2 passes among 3 trials, B holds 0 of them with probability 1/3; both tasks: 1/9.
    expect(c.success).toMatchObject({ test: "exact_conditional", n_tasks: 2, diff: -1 });
    expect(c.success.p_worse).toBeCloseTo(1 / 9, 12);
    expect(c.success.warnings.map((w: { code: string }) => w.code)).toContain("cannot_reach_alpha");
    expect(c.cost.metric).toBe("total_tokens"); // the scripted provider reports no AIU
    expect(c.cost.ratio).toBeLessThan(1);
    expect(c.cost.low).toBeLessThanOrEqual(c.cost.ratio);
    expect(c.cost.high).toBeGreaterThanOrEqual(c.cost.ratio);
    expect(c.regression).toBe(false);
    const text = await cli([...args, "--fail-on-regression"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("no evidence that B is worse than A");
    expectWidth(text.stdout, 80);
  });

  test("compare RUN RUN pairs variants with the same slug; three variants need --variants", async () => {
    const same = JSON.parse((await cli(["compare", runId, runId, "--root", root, "--json"])).stdout);
    expect(same.comparisons.map((c: { a: { variant: string } }) => c.a.variant)).toEqual([
      "scripted-fixer",
      "fixer-with-instructions",
      "idle-agent",
    ]);
    for (const c of same.comparisons) expect(c.success.diff).toBe(0);
    const ambiguous = await cli(["compare", runId, "--root", root]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("--variants");
  });

  test("unknown run ids exit 2 with a clear message", async () => {
    for (const cmd of ["show", "inspect", "export", "compare"]) {
      const { code, stderr, stdout } = await cli([cmd, "nosuchrun", "--root", root]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain('no run matches "nosuchrun"');
    }
  });
});

describe("read commands on a hand-made tree with every status", () => {
  const root = tempDir();
  const GATE_A = "20260105T000000Z_9a7e0a";
  const GATE_B = "20260106T000000Z_9a7e0b";
  const ONE_A = "20260107T000000Z_0e000a";
  const ONE_B = "20260108T000000Z_0e000b";

  beforeAll(() => {
    writeAllStatusesRun(root);
    // Six tasks, three trials each: B fails everything A passes (exact p = (1 / C(6, 3))^6).
    const tasks = ["t1", "t2", "t3", "t4", "t5", "t6"].map((slug) => ({ slug }));
    const gate = (runId: string, success: boolean, day: string) =>
      writeHandMadeRun(root, {
        runId,
        experiment: "gate",
        startedAt: `2026-01-${day}T00:00:00.000Z`,
        variants: [{ slug: "agent" }],
        tasks,
        trials: tasks.flatMap((t) =>
          [1, 2, 3].map(
            (trial): HandTrial => ({ variant: "agent", task: t.slug, trial, status: "ok", success }),
          ),
        ),
      });
    gate(GATE_A, true, "05");
    gate(GATE_B, false, "06");
    // One task, ten trials: 10/10 against 1/10 (Fisher).
    const one = (runId: string, passes: number, day: string) =>
      writeHandMadeRun(root, {
        runId,
        experiment: "single",
        startedAt: `2026-01-${day}T00:00:00.000Z`,
        variants: [{ slug: day === "07" ? "old" : "new" }],
        tasks: [{ slug: "only" }],
        trials: Array.from(
          { length: 10 },
          (_, i): HandTrial => ({
            variant: day === "07" ? "old" : "new",
            task: "only",
            trial: i + 1,
            status: "ok",
            success: i < passes,
            metrics: { aiu: day === "07" ? 1 : 2 + i / 10 },
          }),
        ),
      });
    one(ONE_A, 10, "07");
    one(ONE_B, 1, "08");
  });

  test("list: no experiments folder, every run listed with infra failures beside the rate", async () => {
    const { code, stdout } = await cli(["list", "--root", root, "--json"]);
    expect(code).toBe(0);
    const { experiments, runs } = JSON.parse(stdout);
    expect(experiments).toEqual([]);
    expect(runs.map((r: { run_id: string }) => r.run_id)).toEqual([
      ALL_STATUSES_RUN_ID,
      GATE_A,
      GATE_B,
      ONE_A,
      ONE_B,
    ]);
    expect(runs[0]).toMatchObject({
      n_trials: 8,
      n_graded: 4,
      n_success: 2,
      success_rate: 0.5,
      n_failed_trials: 2,
    });
    const text = await cli(["list", "--root", root]);
    expect(text.stdout).toContain("Every status (every-status)");
    expectWidth(text.stdout, 80);
  });

  test("show: counts of every status, success over trials that ran, context additions", async () => {
    const { code, stdout } = await cli(["show", ALL_STATUSES_RUN_ID, "--root", root]);
    expect(code).toBe(0);
    const unwrapped = stdout.replace(/\n +/g, " ");
    expect(unwrapped).toContain(
      "ok 3 · copilot_failed 1 · timeout 1 · harness_error 1 · interrupted 1 · skipped 1 · flaky verify 1",
    );
    expect(unwrapped).toContain("success 50% [15–85] over 4 graded trials that ran");
    expect(unwrapped).toContain("2 infrastructure failures not counted");
    expect(stdout).toContain("overlay       variants/strict/ (1 file)");
    expectWidth(stdout, 80);
    const json = JSON.parse((await cli(["show", ALL_STATUSES_RUN_ID, "--root", root, "--json"])).stdout);
    expect(json.summary.overall.status_counts).toEqual({
      ok: 3,
      copilot_failed: 1,
      timeout: 1,
      harness_error: 1,
      interrupted: 1,
      skipped: 1,
    });
  });

  test("inspect a copilot_failed trial: the error, no metrics, no session log", async () => {
    const args = ["inspect", ALL_STATUSES_RUN_ID, "--root", root, "--variant", "base", "--task", "beta"];
    const { code, stdout } = await cli(args);
    expect(code).toBe(0);
    expect(stdout).toContain("status     copilot_failed");
    expect(stdout).toContain("401 Unauthorized");
    expect(stdout).toContain("no metrics.json");
    expect(stdout).toContain("Events: no session log");
    const timeout = JSON.parse((await cli([...args, "--trial", "2", "--json"])).stdout);
    expect(timeout.meta.status).toBe("timeout");
    expect(timeout.verify.success).toBe(false);
    const missing = await cli([...args, "--trial", "9"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no trial");
    const badVariant = await cli(["inspect", ALL_STATUSES_RUN_ID, "--root", root, "--variant", "nope"]);
    expect(badVariant.code).toBe(2);
    expect(badVariant.stderr).toContain('has no variant "nope"');
  });

  test("export: commas, quotes and newlines in the prompt survive a CSV round trip; every status", async () => {
    const { code, stdout } = await cli(["export", ALL_STATUSES_RUN_ID, "--root", root, "--format", "csv"]);
    expect(code).toBe(0);
    const rows = csvObjects(stdout);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set(["ok", "copilot_failed", "timeout", "harness_error", "interrupted", "skipped"]),
    );
    const alpha = rows.filter((r) => r.task === "alpha");
    for (const r of alpha)
      expect(r.prompt).toBe('Fix "multiply", then divide.\nDo not, under any circumstances, touch tests.\n');
    expect(
      rows.find((r) => r.variant === "tuned" && r.task === "alpha" && r.trial === "1")!.variant_name,
    ).toBe("tuned, with instructions");
    expect(rows.map((r) => r.success)).toEqual(["true", "false", "", "false", "true", "", "", ""]);
    const bad = await cli(["export", ALL_STATUSES_RUN_ID, "--root", root, "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format expects csv, jsonl or atif");
  });

  test("reindex counts every run and trial", async () => {
    const { code, stdout } = await cli(["reindex", "--root", root]);
    expect(code).toBe(0);
    expect(stdout).toContain("indexed 5 runs, 64 trials");
  });

  test("ambiguous prefixes and a missing RUN exit 2 and say what to do", async () => {
    for (const cmd of ["show", "inspect", "export", "compare"]) {
      const { code, stderr } = await cli([cmd, "202601", "--root", root]);
      expect(code).toBe(2);
      expect(stderr).toContain('run id "202601" is ambiguous: 5 runs match');
    }
    const none = await cli(["show", "--root", root]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("which run?");
  });

  test("compare --fail-on-regression: exit 1 when B is worse over tasks (stratified exact test)", async () => {
    const worse = await cli(["compare", GATE_A, GATE_B, "--root", root, "--fail-on-regression"]);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain("gate: B is worse than A");
    const json = JSON.parse((await cli(["compare", GATE_A, GATE_B, "--root", root, "--json"])).stdout);
    expect(json.comparisons[0].success).toMatchObject({ test: "exact_conditional", n_tasks: 6, diff: -1 });
    expect(json.comparisons[0].success.p_worse / (1 / 20) ** 6).toBeCloseTo(1, 9);
    expect(json.comparisons[0].tasks[0].p).toBeCloseTo(0.1, 10); // [[3,0],[0,3]]
    const better = await cli(["compare", GATE_B, GATE_A, "--root", root, "--fail-on-regression"]);
    expect(better.code).toBe(0);
    expect(better.stdout).toContain("no evidence that B is worse than A");
    const betterJson = JSON.parse((await cli(["compare", GATE_B, GATE_A, "--root", root, "--json"])).stdout);
    expect(betterJson.comparisons[0].improvement).toBe(true);
    const noFlag = await cli(["compare", GATE_A, GATE_B, "--root", root]);
    expect(noFlag.code).toBe(0);
  });

  test("compare one task: Fisher on the trials, AIU cost ratio with a seeded bootstrap", async () => {
    const args = ["compare", ONE_A, ONE_B, "--root", root, "--variants", "old,new", "--json"];
    const first = await cli(args);
    expect(first.code).toBe(0);
    const c = JSON.parse(first.stdout).comparisons[0];
    // [[10,0],[1,9]]: B's one pass is the fewest it can hold, with probability 10 / C(20,11);
    // two-sided, the table a = 10 is as extreme.
    expect(c.success.test_label).toBe("Fisher's exact test (one task)");
    expect(c.success.p_worse).toBeCloseTo(10 / 167960, 14);
    expect(c.success.p_two_sided).toBeCloseTo(20 / 167960, 14);
    expect(c.regression).toBe(true);
    expect(c.cost).toMatchObject({ metric: "aiu", a_mean: 1, b_mean: 2.45, ratio: 2.45 });
    expect(c.cost.low).toBeGreaterThan(2.2);
    expect(c.cost.high).toBeLessThan(2.7);
    const again = JSON.parse((await cli(args)).stdout).comparisons[0];
    expect(again.cost).toEqual(c.cost);
    const seeded = JSON.parse((await cli([...args, "--seed", "7"])).stdout).comparisons[0];
    expect(seeded.cost.ratio).toBe(c.cost.ratio);
    const gate = await cli([
      "compare",
      ONE_A,
      ONE_B,
      "--root",
      root,
      "--variants",
      "old,new",
      "--fail-on-regression",
    ]);
    expect(gate.code).toBe(1);
    const noVariant = await cli(["compare", ONE_A, ONE_B, "--root", root, "--variants", "old,nope"]);
    expect(noVariant.code).toBe(2);
    expect(noVariant.stderr).toContain('has no variant "nope"');
  });
});
