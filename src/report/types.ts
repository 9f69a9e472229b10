import type { CompareResult } from "../compare/result.ts";
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
    /** What the trials ran in (README, Sandbox): `bwrap`, `none`, or both when mixed. */
    sandbox: string;
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
  /**
   * How the page reaches the trial folders: `run` — it sits in its run folder (a copy elsewhere
   * can tell it moved); `relative` — written elsewhere with paths back to the run; `none` — the
   * files are not published with it (a static site).
   */
  artifact_links: "run" | "relative" | "none";
  /** Part of a `report --site`: links back to the site's index and the experiment's page. */
  site?: { index: string; experiment: string };
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

/** One tool call of a transcript, its arguments and its result (texts bounded, see _transcript.ts). */
export interface TranscriptCall {
  id: string;
  name: string;
  /** The arguments as JSON, or the text a free-text tool was given. */
  args: string;
  /** Length of the arguments when `args` is cut. */
  args_cut?: number;
  /** What the model was given back (result text or error); null when the call never finished. */
  output: string | null;
  /** Length of the whole output when `output` is cut. */
  output_cut?: number;
  exit_code?: number;
  /** Present (false) when the call failed; a shell command that exits non-zero is still a successful call. */
  success?: false;
  duration_ms?: number;
  /** Index into `Transcript.subagents` of the sub-agent this call ran. */
  subagent?: number;
}

/** One step of a transcript: a system prompt, the user's prompt, an agent turn, or an event. */
export interface TranscriptEntry {
  /** The ATIF step id (1-based), also the entry's anchor. */
  step: number;
  kind: "system" | "user" | "agent" | "event";
  /** For events: model_change, compaction_complete, error, warning, truncation, abort, resume, subagent. */
  event?: string;
  /** Seconds since the session started. */
  at: number | null;
  /** The analysis's turn (1-based), for agent steps: what the turn timeline links to. */
  turn?: number;
  duration_s?: number;
  /** The model, on the first agent step and where it changes. */
  model?: string;
  text: string;
  text_cut?: number;
  reasoning?: string;
  reasoning_cut?: number;
  tokens?: { prompt?: number; completion?: number; cached?: number };
  calls?: TranscriptCall[];
}

export interface Transcript {
  /** trajectory.json, or the session log converted when the report was written (older runs). */
  source: "trajectory.json" | "events.jsonl";
  entries: TranscriptEntry[];
  subagents: { id: string; name: string; model: string | null; status: string; entries: TranscriptEntry[] }[];
  /** Some text was cut to fit the report. */
  cut: boolean;
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
  /** What the agent did, from the session log; null when the trial has no session. */
  transcript: Transcript | null;
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
  /** Notes on the artifacts: unreadable or missing ones, a workspace that was not kept. */
  notes: string[];
}

/** A run as the compare page and the site name it, with the link to its report (relative). */
export interface PageRun {
  run_id: string;
  experiment: string;
  experiment_name: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  copilot_version: string | null;
  /** report.html relative to the page; null when the run has none there. */
  report: string | null;
}

/** A trial on one side of a compared task, linking into its run's report. */
export interface CompareTrial {
  key: string;
  trial: number;
  status: TrialStatus;
  success: boolean | null;
  /** `…/report.html#trial=…`, or null when the run's report is not where the run is. */
  href: string | null;
}

/** The data of `compare --html`: compare's own result, the runs, and each task's trials. */
export interface ComparePageData {
  page: "compare";
  generated_at: string;
  tool: { name: string; version: string };
  title: string;
  result: CompareResult;
  runs: PageRun[];
  /** Per comparison, per task (in `result.comparisons[i].tasks` order): the trials of A and B. */
  trials: { a: CompareTrial[]; b: CompareTrial[] }[][];
}

/** A variant's figures in one run, for the site's trends. */
export interface SiteVariant {
  slug: string;
  name: string;
  n_graded: number;
  n_success: number;
  success_rate: number | null;
  success_ci_low: number | null;
  success_ci_high: number | null;
  avg_aiu: number | null;
  avg_total_tokens: number | null;
}

/** One run in the site's index (`report`: its report page, relative to the page that lists it). */
export interface SiteRun extends PageRun {
  trials: number;
  planned: number | null;
  n_graded: number;
  n_success: number;
  success_rate: number | null;
  success_ci_low: number | null;
  success_ci_high: number | null;
  /** AIU when every variant with trials reported it, else tokens (as the run's report). */
  cost_basis: "aiu" | "tokens";
  cost_total: number | null;
  cost_per_trial: number | null;
  variants: SiteVariant[];
}

/** `report --site`: the index of every run of every experiment. */
export interface SiteIndexData {
  page: "site-index";
  generated_at: string;
  tool: { name: string; version: string };
  title: string;
  experiments: { slug: string; name: string; href: string; runs: SiteRun[] }[];
}

/** `report --site`: one experiment's runs and its trends per variant. */
export interface SiteExperiment {
  page: "site-experiment";
  generated_at: string;
  tool: { name: string; version: string };
  title: string;
  experiment: string;
  /** The site's index, relative to this page. */
  index: string;
  runs: SiteRun[];
}
