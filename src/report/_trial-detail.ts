import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { ARTIFACTS } from "../store/layout.ts";
import type { TrialRecord } from "../store/reader.ts";
import { isRecord, numOrNull, readHead, readJsonSafe, readTextSafe, strOrNull, tail } from "./_read.ts";
import type { TrialDetail, TrialTurn } from "./types.ts";

/** Flat metrics shown in a trial's details, in display order. */
export const DETAIL_METRICS = [
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
] as const;

/** Sessions longer than this show their first turns only. */
export const MAX_TURNS = 400;
const MAX_PREVIEW = 240;

export interface DetailContext {
  reportDir: string;
  maxDiffBytes: number;
  maxTextBytes: number;
  /** The task's prompt: the trial's own prompt.md is kept only when it differs. */
  taskPrompt: string | null;
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
    diff: null,
    artifacts: listArtifacts(dir),
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

  readAnalysis(join(dir, ARTIFACTS.analysis), detail, meta.status);
  readVerify(join(dir, ARTIFACTS.verify), detail, ctx.maxTextBytes);

  const prompt = readTextSafe(join(dir, ARTIFACTS.prompt));
  if (prompt !== null && prompt.trim() !== (ctx.taskPrompt ?? "").trim()) {
    detail.prompt = tail(prompt, ctx.maxTextBytes).text;
  }

  const diffPath = join(dir, ARTIFACTS.diff);
  const diff = readHead(diffPath, ctx.maxDiffBytes);
  if (diff) detail.diff = { ...diff, path: relativePath(ctx.reportDir, diffPath) };
  return detail;
}

/** Artifact files present in the trial folder, in the layout's order. */
const ARTIFACT_FILES: string[] = Object.values(ARTIFACTS).filter((name) => name.includes("."));

function listArtifacts(dir: string): string[] {
  try {
    const present = new Set(readdirSync(dir));
    return ARTIFACT_FILES.filter((name) => present.has(name));
  } catch {
    return [];
  }
}

function readAnalysis(path: string, detail: TrialDetail, status: string): void {
  const read = readJsonSafe(path);
  if (!read.ok) {
    // Trials that never started a session (skipped, harness errors) have no analysis by design.
    if (!read.missing || status === "ok" || status === "timeout") detail.notes.push(read.reason);
    return;
  }
  const a = read.value;
  if (!isRecord(a)) {
    detail.notes.push("analysis.json is not an object");
    return;
  }
  if (Array.isArray(a.tools)) {
    detail.tools = a.tools.filter(isRecord).map((t) => ({
      name: String(t.name ?? "?"),
      calls: numOrNull(t.calls) ?? 0,
      failures: numOrNull(t.failures) ?? 0,
      total_duration_ms: numOrNull(t.total_duration_ms) ?? 0,
    }));
  }
  if (Array.isArray(a.turns)) {
    const turns = a.turns.filter(isRecord);
    detail.turns = turns.slice(0, MAX_TURNS).map(
      (t, i): TrialTurn => ({
        index: numOrNull(t.index) ?? i + 1,
        offset_s: numOrNull(t.offset_s),
        duration_s: numOrNull(t.duration_s),
        output_tokens: numOrNull(t.output_tokens),
        n_tool_calls: numOrNull(t.n_tool_calls) ?? 0,
        tools: Array.isArray(t.tools) ? t.tools.slice(0, 50).map(String) : [],
        preview: String(t.preview ?? "").slice(0, MAX_PREVIEW),
      }),
    );
    detail.turns_omitted = Math.max(0, turns.length - MAX_TURNS);
  }
  if (Array.isArray(a.warnings)) {
    detail.warnings = a.warnings
      .filter(isRecord)
      .slice(0, 50)
      .map((w) => ({ kind: String(w.kind ?? ""), message: String(w.message ?? "").slice(0, 1000) }));
  }
  if (detail.models.length === 0 && Array.isArray(a.models)) detail.models = a.models.map(String);
}

function readVerify(path: string, detail: TrialDetail, maxTextBytes: number): void {
  const read = readJsonSafe(path);
  if (!read.ok) {
    if (!read.missing) detail.notes.push(read.reason);
    return;
  }
  const v = read.value;
  if (!isRecord(v)) return;
  const output = tail(String(v.output ?? ""), maxTextBytes);
  detail.verify = {
    command: String(v.command ?? ""),
    exit_code: numOrNull(v.exit_code),
    success: v.success === true,
    timed_out: v.timed_out === true,
    duration_s: numOrNull(v.duration_s) ?? 0,
    flaky: v.flaky === true,
    output: output.text,
    output_truncated: output.truncated,
  };
}
