import { basename, dirname } from "node:path";
import { versionsRanText } from "../copilot/versions-ran.ts";
import { readTaskFile } from "../store/artifacts.ts";
import { Problems } from "../store/json-file.ts";
import type { FlatMetrics, TrialRecord } from "../store/reader.ts";
import { RAN_STATUSES, type RunRecord, TRIAL_STATUSES, type TrialStatus } from "../store/schema.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import { runVersions } from "../summary/versions.ts";
import { isRecord, numOrNull, strOrNull } from "./_values.ts";
import type {
  CellSummary,
  ContextItem,
  ReportRun,
  ReportTask,
  ReportVariant,
  TokenMix,
  TrialRow,
} from "./types.ts";

/**
 * The first screen's data: the run header, the variant rows (summary.json's figures, their
 * context additions and token mix), the tasks and one row per trial.
 */

const zeroCounts = () => Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;

export function buildRun(
  runDir: string,
  record: RunRecord | null,
  trials: readonly TrialRecord[],
): ReportRun {
  const status_counts = zeroCounts();
  for (const t of trials) status_counts[t.meta.status] += 1;
  const h = record?.host;
  return {
    id: record?.run_id ?? basename(runDir),
    status: record?.status ?? "unknown",
    experiment: {
      name: record?.experiment.name ?? basename(dirname(runDir)),
      slug: record?.experiment.slug ?? basename(dirname(runDir)),
      description: record?.experiment.description ?? null,
      file: record?.experiment.file ?? null,
    },
    started_at: record?.started_at ?? null,
    finished_at: record?.finished_at ?? null,
    copilot_version: record?.copilot.version ?? null,
    copilot_ran: record ? versionsRanText(runVersions(record, trials)) || null : null,
    tool_version: record?.tool.version ?? null,
    host: h ? `${h.platform} ${h.arch} · ${h.cpus} CPUs · ${h.memory_gb} GB · Bun ${h.bun}` : null,
    options: {
      concurrency: record?.options.concurrency ?? null,
      retries: record?.options.retries ?? null,
      budget_aiu: record?.options.budget_aiu ?? null,
      shard: record?.options.shard ?? null,
      sandbox: sandboxOf(
        trials.map((t) => t.meta.sandbox ?? "none"),
        record?.options.sandbox,
      ),
    },
    planned: record ? numOrNull(record.counts.planned) : null,
    finished: trials.length,
    status_counts,
  };
}

/** What the trials ran in: one mode, or every mode when a resumed run mixed them. */
function sandboxOf(perTrial: string[], run: string | undefined): string {
  const modes = [...new Set(perTrial)].sort();
  if (modes.length === 0) return run ?? "none";
  return modes.length === 1 ? modes[0]! : `${modes.join(", ")} (mixed)`;
}

/** Task names, grading and prompts: run.json, with the prompt from the first task.json found. */
export function buildTasks(runDir: string, record: RunRecord | null): ReportTask[] {
  if (!record) return [];
  const problems = new Problems("lenient");
  return record.tasks.map((t) => {
    let prompt: string | null = null;
    for (const v of record.variants) {
      const file = readTaskFile(runDir, v.slug, t.slug, problems);
      if (file) {
        prompt = strOrNull(file.definition.prompt);
        break;
      }
    }
    return { slug: t.slug, name: t.name, graded: t.graded, prompt };
  });
}

export function buildVariants(
  record: RunRecord | null,
  summary: RunSummary | null,
  trials: readonly TrialRecord[],
  contexts: Map<string, Record<string, unknown>>,
): ReportVariant[] {
  if (!record) return [];
  return record.variants.map((v) => {
    const s = summary?.variants.find((x) => x.variant === v.slug) ?? null;
    const cells: Record<string, CellSummary> = {};
    for (const t of s?.tasks ?? []) {
      cells[t.task] = {
        n_trials: t.n_trials,
        n_graded: t.n_graded,
        n_success: t.n_success,
        success_rate: t.success_rate,
        success_ci_low: t.success_ci_low,
        success_ci_high: t.success_ci_high,
      };
    }
    const { tasks: _tasks, ...row } = s ?? { tasks: [] };
    return {
      slug: v.slug,
      name: v.name,
      model: v.model,
      reasoning_effort: v.reasoning_effort,
      trials_per_task: v.trials,
      context: contextItems(contexts.get(v.slug) ?? v.context),
      summary: s ? (row as ReportVariant["summary"]) : null,
      token_mix: tokenMix(trials.filter((t) => t.meta.variant === v.slug)),
      cells,
    };
  });
}

/**
 * One item per context addition (run.json `variants[].context`): `instructions` →
 * `.github/copilot-instructions.md (52 B)`, `overlay` → `variants/strict: AGENTS.md, …`,
 * `mcp_servers` → `github, files`. Unknown shapes are shown as JSON.
 */
export function contextItems(context: Record<string, unknown> | undefined): ContextItem[] {
  return Object.entries(context ?? {})
    .filter(([, value]) => value !== false && value !== null && value !== undefined)
    .map(([key, value]) => ({ key, value: describeValue(value) }));
}

function describeValue(value: unknown): string {
  if (value === true) return "";
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value))
    return value.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ");
  if (isRecord(value) && typeof value.path === "string") {
    if (Array.isArray(value.files)) {
      const files = value.files.map((f) => (isRecord(f) && typeof f.path === "string" ? f.path : "?"));
      return `${value.path}: ${files.length ? files.join(", ") : "(empty)"}`;
    }
    return typeof value.bytes === "number" ? `${value.path} (${value.bytes} B)` : value.path;
  }
  return JSON.stringify(value);
}

function tokenMix(trials: readonly TrialRecord[]): TokenMix | null {
  const ran = trials.filter((t) => RAN_STATUSES.includes(t.meta.status) && t.metrics);
  const keys = [
    "input_tokens_noncached",
    "cache_read_tokens",
    "cache_write_tokens",
    "output_tokens",
  ] as const;
  const sums = [0, 0, 0, 0];
  let n = 0;
  for (const t of ran) {
    const values = keys.map((k) => numOrNull(t.metrics?.[k]));
    if (values.every((x) => x === null)) continue;
    n += 1;
    values.forEach((x, i) => {
      sums[i]! += x ?? 0;
    });
  }
  if (n === 0) return null;
  const avg = (i: number) => Math.round((sums[i]! / n) * 10) / 10;
  return { input_noncached: avg(0), cache_read: avg(1), cache_write: avg(2), output: avg(3), n };
}

export function buildRow(t: TrialRecord, id: number): TrialRow {
  const m: Partial<FlatMetrics> = t.metrics ?? {};
  return {
    id,
    variant: t.meta.variant,
    task: t.meta.task,
    trial: t.meta.trial,
    status: t.meta.status,
    success: t.meta.success,
    flaky: t.meta.flaky_verify,
    error: t.meta.error,
    duration_s: numOrNull(t.meta.duration_s),
    aiu: numOrNull(m.aiu),
    total_tokens: numOrNull(m.total_tokens),
    n_turns: numOrNull(m.n_turns),
    n_tool_calls: numOrNull(m.n_tool_calls),
    n_tool_failures: numOrNull(m.n_tool_failures),
    diff_added: numOrNull(m.diff_lines_added),
    diff_removed: numOrNull(m.diff_lines_removed),
  };
}
