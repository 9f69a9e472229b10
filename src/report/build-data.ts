import { environmentRedactor, Redactor } from "../secrets/redact.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { FORMAT_VERSION, type RunRecord } from "../store/schema.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import { runVersions } from "../summary/versions.ts";
import { TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { readTrialDetail } from "./_trial-detail.ts";
import { loadReportSource, type ReportSource } from "./load.ts";
import { buildRow, buildRun, buildTasks, buildVariants, contextItems } from "./page-data.ts";
import type { ReportData, TrialDetail } from "./types.ts";

export { contextItems };

export interface BuildOptions {
  /** Folder the report is written to: paths in the report are relative to it. Default: the run. */
  reportDir?: string;
  /** Diffs larger than this are cut (at a line) with a note naming the full file. */
  maxDiffBytes?: number;
  /** Verify output and prompts keep their last this-many characters. */
  maxTextBytes?: number;
  /**
   * Secrets scrubbed from every string: the run's redactor, plus the values of secret-looking
   * variables of `env` (default process.env) as a defence in depth.
   */
  redactor?: Redactor;
  env?: Record<string, string | undefined>;
  now?: Date;
  /** How the page reaches the trial folders (types.ts `artifact_links`); default `run`. */
  artifactLinks?: ReportData["artifact_links"];
  /** Part of a `report --site`: links back to its pages. */
  site?: ReportData["site"];
}

export const DEFAULT_MAX_DIFF_BYTES = 100_000;
export const DEFAULT_MAX_TEXT_BYTES = 20_000;

export interface BuiltReport {
  data: ReportData;
  details: TrialDetail[];
}

/**
 * Everything the report shows, as plain data: from a run as it is in memory (the end of `run`,
 * a resume, `merge`) with its summary, and per trial the details read from its folder (analysis,
 * verify, prompt, diff). Never throws for missing or damaged artifacts: they become notes.
 */
export function buildReport(runDir: string, source: ReportSource, opts: BuildOptions = {}): BuiltReport {
  const redactor = Redactor.union([
    opts.redactor ?? Redactor.none,
    environmentRedactor(opts.env ?? process.env),
  ]);
  try {
    return redactReport(buildFull(runDir, source, opts), redactor);
  } catch (err) {
    // A shape no reader foresaw: still a page, with the header the folder gives and the reason.
    const reason = err instanceof Error ? err.message : String(err);
    return redactReport(
      bareReport(runDir, opts, `the report could not be built from this run: ${reason}`),
      redactor,
    );
  }
}

/** The report of a run as stored: read leniently (see load.ts), then built. */
export function buildReportData(runDir: string, opts: BuildOptions = {}): BuiltReport {
  return buildReport(runDir, loadReportSource(runDir), opts);
}

/** The source of a run that was just finalized: its summary is the one written to summary.json. */
export function finalizedSource(run: LoadedRun, summary: RunSummary): ReportSource {
  return { run, summary, summarySource: "summary.json", notes: [], skipped: [] };
}

function limits(opts: BuildOptions) {
  return {
    max_diff_bytes: opts.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES,
    max_text_bytes: opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES,
  };
}

/** A mix of Copilot versions, or one other than preflight's, is a note at the top of the page. */
function versionWarning(record: RunRecord, trials: readonly TrialRecord[]): string[] {
  const { warning } = runVersions(record, trials);
  return warning ? [`Copilot versions: ${warning}.`] : [];
}

function bareReport(runDir: string, opts: BuildOptions, note: string): BuiltReport {
  const data: ReportData = {
    format_version: FORMAT_VERSION,
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
    artifact_links: opts.artifactLinks ?? "run",
    limits: limits(opts),
  };
  return { data, details: [] };
}

function buildFull(runDir: string, source: ReportSource, opts: BuildOptions): BuiltReport {
  const { run, summary } = source;
  const record = run?.record ?? null;
  const trials = run?.trials ?? [];
  const { max_diff_bytes, max_text_bytes } = limits(opts);
  const tasks = buildTasks(runDir, record);
  const variants = buildVariants(record, summary, trials, source.rawContexts ?? new Map());
  const details = trials.map((t, id) =>
    readTrialDetail(t, id, {
      reportDir: opts.reportDir ?? runDir,
      maxDiffBytes: max_diff_bytes,
      maxTextBytes: max_text_bytes,
      taskPrompt: tasks.find((x) => x.slug === t.meta.task)?.prompt ?? null,
      keepWorkspaces: record?.options.keep_workspaces ?? null,
    }),
  );
  const withTrials = variants.filter((v) => (v.summary?.n_ran ?? 0) > 0);
  const costBasis =
    withTrials.length > 0 && withTrials.every((v) => v.summary?.avg_aiu !== null) ? "aiu" : "tokens";
  const data: ReportData = {
    format_version: FORMAT_VERSION,
    generated_at: (opts.now ?? new Date()).toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    run: buildRun(runDir, record, trials),
    overall: summary?.overall ?? null,
    variants,
    tasks,
    summary_source: source.summarySource,
    cost_basis: costBasis,
    trials: trials.map((t, id) => buildRow(t, id)),
    notes: record ? [...source.notes, ...versionWarning(record, trials)] : source.notes,
    artifact_links: opts.artifactLinks ?? "run",
    ...(opts.site ? { site: opts.site } : {}),
    limits: limits(opts),
  };
  return { data, details };
}

/** Every string of the report through the redactor (one walk, only when a secret is known). */
function redactReport(built: BuiltReport, redactor: Redactor): BuiltReport {
  return redactor.size === 0 ? built : redactor.redactValue(built);
}
