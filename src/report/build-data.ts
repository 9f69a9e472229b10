import { basename, dirname, join } from "node:path";
import { isSecretName, Redactor, TOKEN_VARIABLES } from "../secrets/redact.ts";
import { ARTIFACTS } from "../store/layout.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { RAN_STATUSES, type RunRecord, TRIAL_STATUSES, type TrialStatus } from "../store/schema.ts";
import { type RunSummary, summarizeRun } from "../summary/run-summary.ts";
import { TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { loadRunForReport, rawContexts } from "./_load.ts";
import { errorText, isRecord, numOrNull, readJsonSafe, strOrNull } from "./_read.ts";
import { readTrialDetail } from "./_trial-detail.ts";
import {
  type CellSummary,
  type ContextItem,
  REPORT_DATA_VERSION,
  type ReportData,
  type ReportRun,
  type ReportTask,
  type ReportVariant,
  type TokenMix,
  type TrialDetail,
  type TrialRow,
} from "./types.ts";

export interface BuildOptions {
  /** Folder the report is written to: paths in the report are relative to it. Default: the run. */
  reportDir?: string;
  /** Diffs larger than this are cut (at a line) with a note naming the full file. */
  maxDiffBytes?: number;
  /** Verify output and prompts keep their last this-many characters. */
  maxTextBytes?: number;
  /** Environment whose secret-looking values are scrubbed from every string (default process.env). */
  env?: Record<string, string | undefined>;
  now?: Date;
}

export const DEFAULT_MAX_DIFF_BYTES = 100_000;
export const DEFAULT_MAX_TEXT_BYTES = 20_000;

export interface BuiltReport {
  data: ReportData;
  details: TrialDetail[];
}

const zeroCounts = () => Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;

/**
 * Everything the report shows, as plain data, from the results tree: run.json, summary.json
 * (recomputed when missing or stale), and per trial meta, metrics, analysis, verify and diff.
 * Never throws for missing or damaged artifacts: they become notes.
 */
export function buildReportData(runDir: string, opts: BuildOptions = {}): BuiltReport {
  try {
    return buildFull(runDir, opts);
  } catch (err) {
    // A shape no reader foresaw: still a page, with the header the folder gives and the reason.
    return bareReport(runDir, opts, `the report could not be built from this run: ${errorText(err)}`);
  }
}

function bareReport(runDir: string, opts: BuildOptions, note: string): BuiltReport {
  const data: ReportData = {
    format_version: REPORT_DATA_VERSION,
    generated_at: (opts.now ?? new Date()).toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    run: buildRun(runDir, null, []),
    overall: null,
    variants: [],
    tasks: [],
    summary_source: "none",
    cost_basis: "tokens",
    trials: [],
    notes: [note],
    limits: {
      max_diff_bytes: opts.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES,
      max_text_bytes: opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES,
    },
  };
  return redactReport({ data, details: [] }, opts.env ?? process.env);
}

function buildFull(runDir: string, opts: BuildOptions): BuiltReport {
  const reportDir = opts.reportDir ?? runDir;
  const maxDiffBytes = opts.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES;
  const maxTextBytes = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const notes: string[] = [];

  const run = loadRunForReport(runDir, notes);
  const record = run?.record ?? null;
  const trials = run?.trials ?? [];
  const { summary, source } = readSummary(runDir, run, notes);

  const tasks = buildTasks(runDir, record);
  const rows = trials.map((t, id) => buildRow(t, id));
  const variants = buildVariants(record, summary, trials, rawContexts(runDir));
  const details = trials.map((t, id) =>
    readTrialDetail(t, id, {
      reportDir,
      maxDiffBytes,
      maxTextBytes,
      taskPrompt: tasks.find((x) => x.slug === t.meta.task)?.prompt ?? null,
    }),
  );

  const withTrials = variants.filter((v) => (v.summary?.n_ran ?? 0) > 0);
  const costBasis =
    withTrials.length > 0 && withTrials.every((v) => v.summary?.avg_aiu !== null) ? "aiu" : "tokens";

  const data: ReportData = {
    format_version: REPORT_DATA_VERSION,
    generated_at: (opts.now ?? new Date()).toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    run: buildRun(runDir, record, trials),
    overall: summary?.overall ?? null,
    variants,
    tasks,
    summary_source: source,
    cost_basis: costBasis,
    trials: rows,
    notes,
    limits: { max_diff_bytes: maxDiffBytes, max_text_bytes: maxTextBytes },
  };
  return redactReport({ data, details }, opts.env ?? process.env);
}

function readSummary(
  runDir: string,
  run: LoadedRun | null,
  notes: string[],
): { summary: RunSummary | null; source: ReportData["summary_source"] } {
  const read = readJsonSafe(join(runDir, ARTIFACTS.summary));
  if (read.ok && isSummary(read.value)) {
    const s = read.value as unknown as RunSummary;
    if (!run || s.run_id === run.record.run_id) return { summary: s, source: "summary.json" };
    notes.push(`summary.json belongs to run ${String(s.run_id)}: recomputed from the trials.`);
  } else if (read.ok) {
    notes.push("summary.json has an unexpected shape: recomputed from the trials.");
  } else if (!read.missing) {
    notes.push(`${read.reason}: recomputed from the trials.`);
  }
  if (!run) return { summary: null, source: "none" };
  try {
    return { summary: summarizeRun(run), source: "computed" };
  } catch (err) {
    notes.push(`the summary could not be computed: ${errorText(err)}`);
    return { summary: null, source: "none" };
  }
}

/** Enough of summary.json's shape to draw from it; anything else is recomputed from the trials. */
function isSummary(v: unknown): boolean {
  return (
    isRecord(v) &&
    isRecord(v.overall) &&
    Array.isArray(v.variants) &&
    v.variants.every((x) => isRecord(x) && typeof x.variant === "string" && Array.isArray(x.tasks))
  );
}

function buildRun(runDir: string, record: RunRecord | null, trials: readonly TrialRecord[]): ReportRun {
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
    tool_version: record?.tool.version ?? null,
    host: h ? `${h.platform} ${h.arch} · ${h.cpus} CPUs · ${h.memory_gb} GB · Bun ${h.bun}` : null,
    options: {
      concurrency: record?.options.concurrency ?? null,
      retries: record?.options.retries ?? null,
      budget_aiu: record?.options.budget_aiu ?? null,
      shard: record?.options.shard ?? null,
    },
    planned: record ? numOrNull(record.counts.planned) : null,
    finished: trials.length,
    status_counts,
  };
}

/** Task names, grading and prompts: run.json, with the prompt from the first task.json found. */
function buildTasks(runDir: string, record: RunRecord | null): ReportTask[] {
  if (!record) return [];
  return record.tasks.map((t) => {
    let prompt: string | null = null;
    for (const v of record.variants) {
      const read = readJsonSafe(join(runDir, "variants", v.slug, "tasks", t.slug, ARTIFACTS.task));
      if (read.ok && isRecord(read.value) && isRecord(read.value.definition)) {
        prompt = strOrNull(read.value.definition.prompt);
        break;
      }
    }
    return { slug: t.slug, name: t.name, graded: t.graded, prompt };
  });
}

function buildVariants(
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

function buildRow(t: TrialRecord, id: number): TrialRow {
  const m = t.metrics ?? {};
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

/**
 * Defence in depth (SPEC 7): artifacts are redacted when written, but any value of a
 * secret-looking variable in the environment that builds the report is scrubbed again.
 */
function redactReport(built: BuiltReport, env: Record<string, string | undefined>): BuiltReport {
  const names = new Set<string>(TOKEN_VARIABLES);
  for (const name of Object.keys(env)) if (isSecretName(name)) names.add(name);
  const redactor = new Redactor([...names].map((n) => env[n]));
  if (redactor.size === 0) return built;
  return deepRedact(built, redactor) as BuiltReport;
}

function deepRedact(value: unknown, redactor: Redactor): unknown {
  if (typeof value === "string") return redactor.redact(value);
  if (Array.isArray(value)) return value.map((v) => deepRedact(v, redactor));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepRedact(v, redactor);
    return out;
  }
  return value;
}
