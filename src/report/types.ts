import type { FORMAT_VERSION, TrialStatus } from "../store/schema.ts";
import type { GroupSummary } from "../store/summary-schema.ts";

/**
 * The plain data behind report.html. Built on the server from the results tree, embedded as
 * escaped JSON, rendered by the client script. `ReportData` is what the first screen needs;
 * each `TrialDetail` sits in its own JSON block and is parsed only when its trial is opened.
 */

export interface ReportRun {
  id: string;
  status: string;
  experiment: { name: string; slug: string; description: string | null; file: string | null };
  started_at: string | null;
  finished_at: string | null;
  /** The version preflight probed. */
  copilot_version: string | null;
  /** The versions the trials ran, from their session logs: `1.0.80 (4 trials)`. */
  copilot_ran: string | null;
  tool_version: string | null;
  /** `linux x64 · 8 CPUs · 31.2 GB`, without the host name. */
  host: string | null;
  options: {
    concurrency: number | null;
    retries: number | null;
    budget_aiu: number | null;
    shard: string | null;
  };
  planned: number | null;
  finished: number;
  /** Trials per status, counted from the trials found on disk. */
  status_counts: Record<TrialStatus, number>;
}

/** One thing a variant adds to the agent's context (run.json `variants[].context`). */
export interface ContextItem {
  key: string;
  value: string;
}

/** Success of one (variant, task) cell. */
export interface CellSummary {
  n_trials: number;
  n_graded: number;
  n_success: number;
  success_rate: number | null;
  success_ci_low: number | null;
  success_ci_high: number | null;
}

/** Mean tokens per trial that ran, by type. */
export interface TokenMix {
  input_noncached: number;
  cache_read: number;
  cache_write: number;
  output: number;
  /** Trials the means are over. */
  n: number;
}

export interface ReportVariant {
  slug: string;
  name: string;
  model: string | null;
  reasoning_effort: string | null;
  trials_per_task: number | null;
  context: ContextItem[];
  /** The variant's row of summary.json (without its per-task list); null when it has no trials. */
  summary: GroupSummary | null;
  token_mix: TokenMix | null;
  /** Keyed by task slug. */
  cells: Record<string, CellSummary>;
}

export interface ReportTask {
  slug: string;
  name: string;
  graded: boolean;
  prompt: string | null;
}

/** One line of the trial list: enough to filter and sort without opening the trial. */
export interface TrialRow {
  /** Index into `trials`; also names the trial's detail block. */
  id: number;
  variant: string;
  task: string;
  trial: number;
  status: TrialStatus;
  success: boolean | null;
  flaky: boolean;
  error: string | null;
  duration_s: number | null;
  aiu: number | null;
  total_tokens: number | null;
  n_turns: number | null;
  n_tool_calls: number | null;
  n_tool_failures: number | null;
  diff_added: number | null;
  diff_removed: number | null;
}

export interface ReportData {
  format_version: typeof FORMAT_VERSION;
  generated_at: string;
  tool: { name: string; version: string };
  run: ReportRun;
  overall: GroupSummary | null;
  variants: ReportVariant[];
  tasks: ReportTask[];
  /** Where the variant numbers come from. */
  summary_source: "summary.json" | "computed" | "none";
  /** Cost axis of the charts: AIU when every variant with trials reports it, else tokens. */
  cost_basis: "aiu" | "tokens";
  trials: TrialRow[];
  /** Problems met while reading the tree (missing or damaged artifacts), for the reader. */
  notes: string[];
  limits: { max_diff_bytes: number; max_text_bytes: number };
}

export interface TrialTurn {
  index: number;
  offset_s: number | null;
  duration_s: number | null;
  output_tokens: number | null;
  n_tool_calls: number;
  tools: string[];
  preview: string;
}

export interface TrialDetail {
  id: number;
  /** Trial folder relative to the report, `/`-separated. */
  path: string;
  error_artifact: string | null;
  started_at: string | null;
  finished_at: string | null;
  copilot_exit_code: number | null;
  copilot_signal: string | null;
  attempts: { attempt: number; status: string; error: string | null; dir: string | null }[];
  /** Selected flat metrics (metrics.json); null when the trial has none. */
  metrics: Record<string, number | string | null> | null;
  models: string[];
  tools: { name: string; calls: number; failures: number; total_duration_ms: number }[];
  turns: TrialTurn[];
  /** Turns left out of `turns` (very long sessions). */
  turns_omitted: number;
  warnings: { kind: string; message: string }[];
  verify: {
    command: string;
    exit_code: number | null;
    success: boolean;
    timed_out: boolean;
    duration_s: number;
    flaky: boolean;
    output: string;
    output_truncated: boolean;
  } | null;
  /** The trial's prompt when it differs from its task's prompt. */
  prompt: string | null;
  diff: {
    text: string;
    truncated: boolean;
    total_bytes: number;
    total_lines: number;
    /** workspace.diff relative to the report. */
    path: string;
  } | null;
  /** Artifact files present in the trial folder (names). */
  artifacts: string[];
  /** Artifacts that could not be read. */
  notes: string[];
}
