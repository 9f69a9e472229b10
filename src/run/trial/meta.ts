import { FORMAT_VERSION, type TrialMeta, type TrialStatus } from "../../store/schema.ts";
import type { RunContext, TrialCell } from "../context.ts";

/** A trial's meta.json before anything is known about it. */
export function blankMeta(
  ctx: Pick<RunContext, "experiment" | "runId" | "sandbox">,
  cell: TrialCell,
  status: TrialStatus,
  at: string,
): TrialMeta {
  return {
    format_version: FORMAT_VERSION,
    experiment: ctx.experiment.slug,
    run_id: ctx.runId,
    variant: cell.variant.slug,
    task: cell.task.slug,
    trial: cell.trial,
    status,
    error: null,
    error_artifact: null,
    success: null,
    flaky_verify: false,
    session_id: null,
    copilot_exit_code: null,
    copilot_signal: null,
    timed_out: false,
    started_at: at,
    finished_at: at,
    duration_s: 0,
    copilot_duration_s: null,
    baseline_commit: null,
    command: [],
    secret_env_vars: [],
    attempts: [],
    sandbox: ctx.sandbox?.mode ?? "none",
  };
}

/** Write the meta.json of a cell that never ran (budget reached, or interrupted before start). */
export function writeUnrunTrial(
  ctx: Pick<RunContext, "experiment" | "runId" | "writer">,
  cell: TrialCell,
  status: "skipped" | "interrupted",
  reason: string,
): TrialMeta {
  const meta = { ...blankMeta(ctx, cell, status, new Date().toISOString()), error: reason };
  ctx.writer.trial(cell.variant.slug, cell.task.slug, cell.trial).create().writeMeta(meta);
  return meta;
}

/** One entry of `attempts`: how an attempt of the trial ended, and where its artifacts went. */
export function attemptOf(
  meta: TrialMeta,
  attempt: number,
  dir: string | null,
): TrialMeta["attempts"][number] {
  return {
    attempt,
    status: meta.status,
    error: meta.error,
    session_id: meta.session_id,
    started_at: meta.started_at,
    finished_at: meta.finished_at,
    dir,
  };
}
