import { copilotVersionText } from "../copilot/versions-ran.ts";
import type { RunRecord } from "../store/schema.ts";
import type { GroupSummary, RunSummary } from "../store/summary-schema.ts";
import { aiu, DASH, fixed, pct, rateWithCi, seconds, tokens } from "./numbers.ts";

/** summary.md: the run summary as GitHub-flavoured markdown tables. */

const cell = (s: string | number) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");

function table(header: string[], rows: (string | number)[][], align: ("l" | "r")[]): string {
  const sep = align.map((a) => (a === "r" ? "---:" : ":---"));
  return [header, sep, ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

function infra(g: GroupSummary): string {
  const parts: string[] = [];
  if (g.status_counts.copilot_failed) parts.push(`${g.status_counts.copilot_failed} copilot_failed`);
  if (g.status_counts.harness_error) parts.push(`${g.status_counts.harness_error} harness_error`);
  if (g.status_counts.timeout) parts.push(`${g.status_counts.timeout} timeout`);
  if (g.status_counts.interrupted) parts.push(`${g.status_counts.interrupted} interrupted`);
  if (g.status_counts.skipped) parts.push(`${g.status_counts.skipped} skipped`);
  return parts.join(", ") || DASH;
}

/** `[30–90]`, the interval clustered by task (docs/statistics.md), or a dash. */
const clustered = (g: GroupSummary) => {
  const c = g.success_ci_clustered;
  return c ? `[${(c.low * 100).toFixed(0)}–${(c.high * 100).toFixed(0)}]` : DASH;
};

export function renderSummaryMarkdown(summary: RunSummary, record: RunRecord): string {
  const o = summary.overall;
  const lines: string[] = [];
  lines.push(`## ${summary.experiment_name} — run \`${summary.run_id}\``);
  lines.push("");
  if (record.experiment.description) lines.push(`${record.experiment.description}`, "");
  lines.push(
    `**Status:** ${summary.status} · **Trials:** ${o.n_trials} (${o.n_ran} ran, ${o.n_graded} graded) · ` +
      `**Success:** ${rateWithCi(o.success_rate, o.success_ci_low, o.success_ci_high)}` +
      (o.success_ci_clustered ? ` (95% CI, clustered by task: ${clustered(o)})` : "") +
      " · " +
      `**Infrastructure failures:** ${o.n_failed_trials} · ` +
      `**Copilot:** ${copilotVersionText(record.copilot.version, summary.copilot_versions_ran)}`,
  );
  lines.push("");
  if (summary.copilot_versions_ran?.warning)
    lines.push(`> **Warning:** ${summary.copilot_versions_ran.warning}.`, "");
  lines.push("### Variants");
  lines.push("");
  lines.push(
    table(
      [
        "variant",
        "trials",
        "success [95% CI]",
        "95% CI, clustered by task",
        "pass@1",
        "resolved",
        "not counted",
        "avg AIU",
        "AIU / solve",
        "avg tokens (CV)",
        "avg time",
        "tool calls (failed)",
      ],
      summary.variants.map((v) => [
        v.name,
        v.n_trials,
        rateWithCi(v.success_rate, v.success_ci_low, v.success_ci_high, v.n_graded),
        clustered(v),
        pct(v.pass_at_k["1"] ?? null),
        pct(v.resolved_at_k_rate),
        infra(v),
        aiu(v.avg_aiu),
        aiu(v.aiu_per_solve),
        `${tokens(v.avg_total_tokens)} (${v.cv_total_tokens === null ? DASH : fixed(v.cv_total_tokens)})`,
        seconds(v.avg_duration_s),
        `${fixed(v.avg_tool_calls, 1)} (${fixed(v.avg_tool_failures, 1)})`,
      ]),
      ["l", "r", "r", "r", "r", "r", "l", "r", "r", "r", "r", "r"],
    ),
  );
  lines.push("");
  lines.push("### Success per task");
  lines.push("");
  lines.push(
    table(
      ["task", ...summary.variants.map((v) => v.name)],
      summary.tasks.map((t) => [
        t.name,
        ...summary.variants.map((v) => {
          const vt = v.tasks.find((x) => x.task === t.task);
          return vt && vt.n_graded > 0 ? `${vt.n_success}/${vt.n_graded}` : DASH;
        }),
      ]),
      ["l", ...summary.variants.map(() => "r" as const)],
    ),
  );
  lines.push("");
  lines.push("### Cost and tokens");
  lines.push("");
  lines.push(
    table(
      [
        "variant",
        "total AIU",
        "avg AIU (CV)",
        "total tokens",
        "avg cache read",
        "avg reasoning",
        "avg API time",
        "avg lines +/− (git)",
        "avg files (git)",
      ],
      summary.variants.map((v) => [
        v.name,
        aiu(v.total_aiu),
        `${aiu(v.avg_aiu)} (${fixed(v.cv_aiu)})`,
        tokens(v.total_tokens),
        tokens(v.avg_cache_read_tokens),
        tokens(v.avg_reasoning_tokens),
        v.avg_api_duration_ms === null ? DASH : seconds(v.avg_api_duration_ms / 1000),
        `${fixed(v.avg_diff_lines_added, 1)} / ${fixed(v.avg_diff_lines_removed, 1)}`,
        fixed(v.avg_diff_files, 1),
      ]),
      ["l", "r", "r", "r", "r", "r", "r", "r", "r"],
    ),
  );
  lines.push("");
  lines.push(
    "_Success rates count trials that ran (ok, timeout) and were graded; infrastructure failures are listed beside them. " +
      "The pooled 95% interval (Wilson) treats every trial as independent; the one clustered by task allows for tasks " +
      "differing in difficulty, and needs graded trials on at least two tasks. " +
      "AIU is unknown (–) for sessions that report no cost, such as BYOK providers._",
  );
  return `${lines.join("\n")}\n`;
}
