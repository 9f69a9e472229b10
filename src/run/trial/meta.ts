import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../../store/atomic.ts";
import { ARTIFACTS, FORMAT_VERSION, trialDir } from "../../store/layout.ts";
import type { TrialMeta, TrialStatus } from "../../store/schema.ts";
import type { RunContext, TrialCell } from "./run-trial.ts";

/** A trial's meta.json before anything is known about it. */
export function blankMeta(
  ctx: Pick<RunContext, "experiment" | "runId">,
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
  };
}

/** Write a meta.json for a cell that never ran (budget reached, or interrupted before start). */
export function writeUnrunTrial(
  ctx: Pick<RunContext, "experiment" | "runId" | "runDir">,
  cell: TrialCell,
  status: "skipped" | "interrupted",
  reason: string,
): TrialMeta {
  const meta = { ...blankMeta(ctx, cell, status, new Date().toISOString()), error: reason };
  const dir = trialDir(ctx.runDir, cell.variant.slug, cell.task.slug, cell.trial);
  mkdirSync(dir, { recursive: true });
  writeJsonAtomic(join(dir, ARTIFACTS.meta), meta);
  return meta;
}
