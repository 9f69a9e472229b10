import { relative, sep } from "node:path";
import { trajectoryFromText } from "../session/trajectory.ts";
import {
  artifactPath,
  artifactSize,
  readAnalysis,
  readHead,
  readText,
  readTrajectory,
  readVerify,
  trialArtifacts,
} from "../store/artifacts.ts";
import { Problems } from "../store/json-file.ts";
import { ARTIFACTS } from "../store/layout.ts";
import type { TrialRecord } from "../store/reader.ts";
import type { SessionAnalysis, TrialMetrics } from "../store/session-schema.ts";
import { type KeepPolicy, workspaceState } from "../views/workspaces.ts";
import { transcriptOf } from "./_transcript.ts";
import { numOrNull, strOrNull, tail } from "./_values.ts";
import type { Transcript, TrialDetail, TrialTurn } from "./types.ts";

/** Flat metrics shown in a trial's details, in display order. */
export const DETAIL_METRICS: readonly (keyof TrialMetrics)[] = [
  "duration_s",
  "n_turns",
  "n_assistant_messages",
  "n_tool_calls",
  "n_tool_failures",
  "n_warnings",
  "n_requests",
  "api_duration_ms",
  "input_tokens_noncached",
  "cache_read_tokens",
  "cache_write_tokens",
  "output_tokens",
  "reasoning_tokens",
  "total_tokens",
  "aiu",
  "peak_context_tokens",
  "n_compactions",
  "n_truncations",
  "files_modified",
  "lines_added",
  "lines_removed",
  "diff_files",
  "diff_lines_added",
  "diff_lines_removed",
  "n_malformed_lines",
];

/** Sessions longer than this show their first turns only. */
export const MAX_TURNS = 400;
/** A run without trajectory.json: session logs up to this size are converted for the report. */
const MAX_CONVERTED_LOG_BYTES = 64 * 1024 * 1024;
const MAX_PREVIEW = 240;

export interface DetailContext {
  reportDir: string;
  maxDiffBytes: number;
  maxTextBytes: number;
  /** The task's prompt: the trial's own prompt.md is kept only when it differs. */
  taskPrompt: string | null;
  /** The run's `keep_workspaces`, for the note on a workspace that was not kept. */
  keepWorkspaces?: KeepPolicy | null;
}

export const toPosix = (p: string) => p.split(sep).join("/");
export const relativePath = (from: string, to: string) => toPosix(relative(from, to)) || ".";

export function readTrialDetail(trial: TrialRecord, id: number, ctx: DetailContext): TrialDetail {
  const { meta, dir } = trial;
  const notes: string[] = [];
  const detail: TrialDetail = {
    id,
    path: relativePath(ctx.reportDir, dir),
    error_artifact: meta.error_artifact,
    started_at: meta.started_at,
    finished_at: meta.finished_at,
    copilot_exit_code: meta.copilot_exit_code,
    copilot_signal: meta.copilot_signal,
    attempts: meta.attempts.map((a) => ({
      attempt: a.attempt,
      status: a.status,
      error: a.error,
      dir: a.dir,
    })),
    metrics: null,
    models: [],
    tools: [],
    turns: [],
    turns_omitted: 0,
    warnings: [],
    verify: null,
    prompt: null,
    transcript: null,
    diff: null,
    artifacts: trialArtifacts(dir),
    notes,
  };

  if (trial.metrics) {
    const m: Record<string, number | string | null> = {};
    for (const key of DETAIL_METRICS) m[key] = numOrNull(trial.metrics[key]);
    m.aiu_rates_source = strOrNull(trial.metrics.aiu_rates_source);
    detail.metrics = m;
    const models = trial.metrics.models;
    if (Array.isArray(models)) detail.models = models.filter((x): x is string => typeof x === "string");
  }

  const problems = new Problems("lenient");
  const note = (name: string) => {
    for (const p of problems.skipped.splice(0)) detail.notes.push(`${name} is unreadable: ${p.reason}`);
  };
  const analysis = readAnalysis(dir, problems);
  const damaged = problems.skipped.length > 0;
  note(ARTIFACTS.analysis);
  if (analysis) addAnalysis(analysis, detail);
  else if (!damaged && (meta.status === "ok" || meta.status === "timeout")) {
    // Trials that never started a session (skipped, harness errors) have no analysis by design.
    detail.notes.push(`${ARTIFACTS.analysis} is missing`);
  }
  const verify = readVerify(dir, problems);
  note(ARTIFACTS.verify);
  if (verify) {
    const output = tail(verify.output, ctx.maxTextBytes);
    detail.verify = {
      command: verify.command,
      exit_code: verify.exit_code,
      success: verify.success,
      timed_out: verify.timed_out,
      duration_s: verify.duration_s,
      flaky: verify.flaky,
      output: output.text,
      output_truncated: output.truncated,
    };
  }

  detail.transcript = readTranscript(dir, analysis, damaged, problems, note);

  const prompt = readText(dir, ARTIFACTS.prompt);
  if (prompt !== null && prompt.trim() !== (ctx.taskPrompt ?? "").trim()) {
    detail.prompt = tail(prompt, ctx.maxTextBytes).text;
  }

  const workspace = workspaceState(dir, meta, ctx.keepWorkspaces ?? null);
  if (workspace.recreate) notes.push(`${ARTIFACTS.workspace}/ ${workspace.recreate}`);

  const diff = readHead(dir, ARTIFACTS.diff, ctx.maxDiffBytes);
  if (diff) detail.diff = { ...diff, path: relativePath(ctx.reportDir, artifactPath(dir, ARTIFACTS.diff)) };
  return detail;
}

function addAnalysis(a: SessionAnalysis, detail: TrialDetail): void {
  detail.tools = a.tools.map((t) => ({
    name: t.name,
    calls: t.calls,
    failures: t.failures,
    total_duration_ms: t.total_duration_ms,
  }));
  detail.turns = a.turns.slice(0, MAX_TURNS).map(
    (t): TrialTurn => ({
      index: t.index,
      offset_s: t.offset_s,
      duration_s: t.duration_s,
      output_tokens: t.output_tokens,
      n_tool_calls: t.n_tool_calls,
      tools: t.tools.slice(0, 50),
      preview: t.preview.slice(0, MAX_PREVIEW),
    }),
  );
  detail.turns_omitted = Math.max(0, a.turns.length - MAX_TURNS);
  detail.warnings = a.warnings.slice(0, 50).map((w) => ({ kind: w.kind, message: w.message.slice(0, 1000) }));
  if (detail.models.length === 0) detail.models = a.models;
}

/**
 * The transcript: trajectory.json; for a run written before it existed, the stored (redacted)
 * session log converted here by the same code, with the analysis's figures.
 */
function readTranscript(
  dir: string,
  analysis: SessionAnalysis | null,
  analysisDamaged: boolean,
  problems: Problems,
  note: (name: string) => void,
): Transcript | null {
  const stored = readTrajectory(dir, problems);
  note(ARTIFACTS.trajectory);
  if (stored) return transcriptOf(stored, "trajectory.json");
  const size = artifactSize(dir, ARTIFACTS.events);
  if (size === 0) return null;
  if (size > MAX_CONVERTED_LOG_BYTES) {
    problems.skipped.push({
      path: artifactPath(dir, ARTIFACTS.events),
      reason: `too large to convert for the report (${Math.round(size / 1e6)} MB): \`export --format atif\` writes its trajectory`,
    });
    note(ARTIFACTS.events);
    return null;
  }
  const text = readText(dir, ARTIFACTS.events);
  if (text === null) return null;
  return transcriptOf(trajectoryFromText(text, analysisDamaged ? null : analysis), "events.jsonl");
}
