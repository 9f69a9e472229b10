import { copilotVersionText } from "../copilot/versions-ran.ts";
import { aiu, DASH, fixed, tokens as formatTokens, pct, rateWithCi, seconds } from "../formats/numbers.ts";
import type { RunRecord } from "../store/schema.ts";
import { TRIAL_STATUSES } from "../store/schema.ts";
import type { GroupSummary, RunSummary } from "../store/summary-schema.ts";
import type { WorkspaceRetention } from "../views/workspaces.ts";
import { renderTable } from "./table.ts";
import { wrapLine } from "./wrap.ts";

/**
 * Terminal tables of a run summary (end of `run`, `show`). Numeric columns never shrink; the
 * name column does, so every table fits 80 columns and uses more on wide terminals.
 */

const tokens = (v: number | null) => formatTokens(v);
const infra = (g: GroupSummary) => g.n_failed_trials || DASH;

function groupCells(g: GroupSummary): (string | number)[] {
  return [
    g.n_trials,
    // The interval rests on the graded trials that ran, which may be fewer than the trials.
    rateWithCi(g.success_rate, g.success_ci_low, g.success_ci_high, g.n_graded),
    pct(g.pass_at_k["1"] ?? null),
    infra(g),
    aiu(g.avg_aiu),
    tokens(g.avg_total_tokens),
    seconds(g.avg_duration_s),
  ];
}

const right = (header: string) => ({ header, align: "right" as const });

const GROUP_HEADERS = ["trials", "success [95% CI]", "pass@1", "infra", "avg AIU", "tokens", "time"].map(
  right,
);

/** The per-variant table printed at the end of `run` and by `show`. */
export function renderVariantTable(summary: RunSummary, width?: number): string {
  return renderTable(
    [{ header: "variant", min: 12, names: true }, ...GROUP_HEADERS],
    summary.variants.map((v) => [v.name, ...groupCells(v)]),
    { width },
  );
}

/** Per task across all variants. */
export function renderTaskTable(summary: RunSummary, width?: number): string {
  return renderTable(
    [{ header: "task", min: 12, names: true }, ...GROUP_HEADERS],
    summary.tasks.map((t) => [t.name, ...groupCells(t)]),
    { width },
  );
}

/** Task × variant success counts (`2/3`). */
export function renderTaskMatrix(summary: RunSummary, width?: number): string {
  return renderTable(
    [
      { header: "task", min: 10, names: true },
      ...summary.variants.map((v) => ({ header: v.name, align: "right" as const, min: 6 })),
    ],
    summary.tasks.map((t) => [
      t.name,
      ...summary.variants.map((v) => {
        const vt = v.tasks.find((x) => x.task === t.task);
        return vt && vt.n_graded > 0 ? `${vt.n_success}/${vt.n_graded}` : DASH;
      }),
    ]),
    { width },
  );
}

/** `[30–90]`: an interval without its rate, or a dash. */
const bracket = (c: { low: number; high: number } | null) =>
  c ? `[${(c.low * 100).toFixed(0)}–${(c.high * 100).toFixed(0)}]` : DASH;

/**
 * Per variant, the pooled Wilson interval beside the one clustered by task (docs/statistics.md,
 * "Summaries"); null when no variant has graded trials on two tasks.
 */
export function renderIntervalTable(summary: RunSummary, width?: number): string | null {
  if (!summary.variants.some((v) => v.success_ci_clustered)) return null;
  return renderTable(
    [
      { header: "variant", min: 12 },
      ...["success", "Wilson", "clustered by task", "tasks", "design effect"].map(right),
    ],
    summary.variants.map((v) => {
      const c = v.success_ci_clustered;
      const wilson =
        v.success_ci_low === null || v.success_ci_high === null
          ? null
          : { low: v.success_ci_low, high: v.success_ci_high };
      return [
        v.name,
        pct(v.success_rate),
        bracket(wilson),
        bracket(c),
        c ? c.n_tasks : DASH,
        fixed(c?.design_effect),
      ];
    }),
    { width },
  );
}

/** Cost columns per variant. */
export function renderCostTable(summary: RunSummary, width?: number): string {
  return renderTable(
    [
      { header: "variant", min: 12, names: true },
      ...["total AIU", "AIU/solve", "AIU CV", "total tokens", "tokens CV", "cache read"].map(right),
    ],
    summary.variants.map((v) => [
      v.name,
      aiu(v.total_aiu),
      aiu(v.aiu_per_solve),
      fixed(v.cv_aiu),
      tokens(v.total_tokens),
      fixed(v.cv_total_tokens),
      tokens(v.avg_cache_read_tokens),
    ]),
    { width },
  );
}

/** `ok 6 · copilot_failed 1 · timeout 1` (statuses with no trial left out). */
export function renderStatusCounts(g: GroupSummary): string {
  const parts = TRIAL_STATUSES.filter((s) => g.status_counts[s] > 0).map((s) => `${s} ${g.status_counts[s]}`);
  if (g.n_flaky_verify > 0) parts.push(`flaky verify ${g.n_flaky_verify}`);
  return parts.join(" · ") || "no trials";
}

type Context = RunRecord["variants"][number]["context"];

const fileLine = (f: { path: string; bytes: number; sha256: string }) =>
  `${f.path} (${f.bytes} B, sha256 ${f.sha256.slice(0, 8)})`;

/** What each variant added to the agent's context (run.json `variants[].context`), when anything. */
export function renderContextAdditions(record: RunRecord): string | null {
  const blocks: string[] = [];
  for (const v of record.variants) {
    const c = (v.context ?? {}) as Context & Record<string, unknown>;
    const lines: string[] = [];
    if (c.instructions) lines.push(`instructions  ${fileLine(c.instructions)}`);
    for (const key of ["overlay", "copilot_home"] as const) {
      const dir = c[key];
      if (!dir) continue;
      const label = key === "overlay" ? "overlay     " : "copilot home";
      lines.push(`${label}  ${dir.path}/ (${dir.files.length} file${dir.files.length === 1 ? "" : "s"})`);
      for (const f of dir.files.slice(0, 10)) lines.push(`                ${fileLine(f)}`);
      if (dir.files.length > 10) lines.push(`                … ${dir.files.length - 10} more`);
    }
    if (c.mcp_servers?.length) lines.push(`mcp servers   ${c.mcp_servers.join(", ")}`);
    if (c.agent) lines.push(`agent         ${c.agent}`);
    const known = new Set(["instructions", "overlay", "copilot_home", "mcp_servers", "agent"]);
    for (const [key, value] of Object.entries(c)) {
      if (!known.has(key) && value !== undefined) lines.push(`${key.padEnd(12)}  ${JSON.stringify(value)}`);
    }
    if (lines.length) blocks.push([`  ${v.name} (${v.slug})`, ...lines.map((l) => `    ${l}`)].join("\n"));
  }
  return blocks.length ? blocks.join("\n") : null;
}

/** `2026-11-26 12:38:08Z` from an ISO timestamp. */
function when(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** Everything `show` prints for a run. */
/** The line `show` adds when some workspaces were not kept (ADR 0017). */
export function renderRetention(w: WorkspaceRetention): string | null {
  if (w.not_kept === 0) return null;
  const total = w.kept + w.not_kept;
  const policy = w.policy ? ` (keep_workspaces: ${w.policy})` : "";
  return `workspaces kept for ${w.kept} of ${total} trials${policy}; the others can be recreated from their baseline commit and workspace.diff (see inspect)`;
}

export function renderRunOverview(
  summary: RunSummary,
  record: RunRecord,
  width?: number,
  workspaces?: WorkspaceRetention,
): string {
  const o = summary.overall;
  const took =
    record.finished_at !== null
      ? ` · took ${seconds((Date.parse(record.finished_at) - Date.parse(record.started_at)) / 1000)}`
      : "";
  const planned = record.counts.planned !== o.n_trials ? ` of ${record.counts.planned} planned` : "";
  const infraNote = o.n_failed_trials ? ` · ${o.n_failed_trials} infrastructure failures not counted` : "";
  const head = [
    `${summary.experiment_name} · run ${summary.run_id} · ${summary.status}`,
    `started ${when(record.started_at)}${took} · Copilot ${copilotVersionText(record.copilot.version, summary.copilot_versions_ran)} · sandbox ${record.options.sandbox ?? "none"}`,
    ...(summary.copilot_versions_ran?.warning ? [`warning: ${summary.copilot_versions_ran.warning}`] : []),
    `trials ${o.n_trials}${planned}: ${renderStatusCounts(o)}`,
    `success ${rateWithCi(o.success_rate, o.success_ci_low, o.success_ci_high)} over ${o.n_graded} graded trial${o.n_graded === 1 ? "" : "s"} that ran${infraNote}`,
    ...(o.success_ci_clustered
      ? [
          `95% CI, clustered by task ${bracket(o.success_ci_clustered)} (${o.success_ci_clustered.n_tasks} tasks, design effect ${fixed(o.success_ci_clustered.design_effect)})`,
        ]
      : []),
    ...(workspaces && renderRetention(workspaces) ? [renderRetention(workspaces)!] : []),
  ].map((line) => wrapLine(line, { width, indent: 2 }));
  const sections = [head.join("\n"), `Variants\n${renderVariantTable(summary, width)}`];
  const intervals = renderIntervalTable(summary, width);
  if (intervals) sections.push(`Success, 95% intervals: pooled (Wilson) and clustered by task\n${intervals}`);
  sections.push(`Cost\n${renderCostTable(summary, width)}`, `Tasks\n${renderTaskTable(summary, width)}`);
  if (summary.variants.length > 1)
    sections.push(`Solved per task and variant\n${renderTaskMatrix(summary, width)}`);
  const context = renderContextAdditions(record);
  if (context) sections.push(`Context additions\n${context}`);
  sections.push(
    wrapLine(
      "success: graded trials that ran (ok, timeout), 95% Wilson interval and n, the trials it rests on; clustered by task: the 95% interval that allows for tasks differing in difficulty (docs/statistics.md); infra: copilot_failed + harness_error, beside the rate; avg AIU, tokens, time: mean per trial that ran.",
      { width },
    ),
  );
  return sections.join("\n\n");
}
