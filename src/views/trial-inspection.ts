import { UserError } from "../errors.ts";
import { type EventLine, lastEvents } from "../session/event-lines.ts";
import { artifactPath, hasArtifact, readVerify, trialArtifacts } from "../store/artifacts.ts";
import { Problems } from "../store/json-file.ts";
import { ARTIFACTS } from "../store/layout.ts";
import { type FlatMetrics, readTrial } from "../store/reader.ts";
import type { TrialMeta, VerifyResult } from "../store/schema.ts";
import { type DiffStat, readDiffStat } from "./diff-stat.ts";
import { type KeepPolicy, type WorkspaceState, workspaceState } from "./workspaces.ts";

/**
 * `inspect`: one trial as plain data — meta, metrics, the tail of the verify output, the diff
 * stat of workspace.diff and the last K session events, each summed up in one line. Read
 * strictly: a damaged file of the trial is an error naming it.
 */

export interface TrialInspection {
  dir: string;
  meta: TrialMeta;
  metrics: FlatMetrics | null;
  verify: (Omit<VerifyResult, "output" | "runs"> & { output_tail: string; n_runs: number }) | null;
  diff: DiffStat | null;
  events: EventLine[];
  /** Events in the whole session log (null without one). */
  n_events: number | null;
  /** Artifact files present in the trial folder. */
  artifacts: string[];
  /** The trial's workspace: kept, or how to recreate it. */
  workspace: WorkspaceState;
}

function tail(text: string, lines: number): string {
  const all = text.replace(/\s+$/, "").split("\n");
  return all.slice(-lines).join("\n");
}

export async function inspectTrial(
  dir: string,
  opts: { events?: number; verifyLines?: number; keepWorkspaces?: KeepPolicy | null } = {},
): Promise<TrialInspection> {
  const strict = new Problems("strict");
  const trial = readTrial(dir, strict);
  if (trial === "missing") {
    throw new UserError(`this trial never finished: no ${ARTIFACTS.meta} in ${dir}`, {
      hint: "It was interrupted before its end; `run --resume` runs it again.",
    });
  }
  const stored = readVerify(dir, strict);
  let verify: TrialInspection["verify"] = null;
  if (stored) {
    const { output, runs, ...rest } = stored;
    verify = { ...rest, output_tail: tail(output, opts.verifyLines ?? 15), n_runs: runs.length };
  }
  const diff = hasArtifact(dir, ARTIFACTS.diff)
    ? await readDiffStat(artifactPath(dir, ARTIFACTS.diff))
    : null;
  const log = hasArtifact(dir, ARTIFACTS.events)
    ? await lastEvents(artifactPath(dir, ARTIFACTS.events), opts.events ?? 10)
    : null;
  return {
    dir,
    meta: trial.meta,
    metrics: trial.metrics,
    verify,
    diff,
    events: log?.events ?? [],
    n_events: log?.total ?? null,
    artifacts: trialArtifacts(dir),
    workspace: workspaceState(dir, trial.meta, opts.keepWorkspaces ?? null),
  };
}
