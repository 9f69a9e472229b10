import { join } from "node:path";
import { buildTrajectory } from "../session/trajectory.ts";
import { artifactPath, artifactSize, readAnalysis, readTrajectory } from "../store/artifacts.ts";
import { Problems } from "../store/json-file.ts";
import { ARTIFACTS, trialName } from "../store/layout.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import type { Trajectory } from "../store/trajectory-schema.ts";

/**
 * `export RUN --format atif`: each trial's session as an ATIF trajectory — its trajectory.json,
 * or for a run written before trajectory.json existed, its stored (redacted) session log
 * converted by the same code (docs/adr/0015). Each carries the trial it belongs to in
 * `extra.trial`. Trials that never started a session have none.
 */

export interface TrialTrajectory {
  trial: TrialRecord;
  trajectory: Trajectory;
  /** Where it came from. */
  source: "trajectory.json" | "events.jsonl";
}

/** `<variant>/<task>/<NNN>/trajectory.json`: the file of a trial under an export folder. */
export const exportedPath = (dir: string, t: TrialRecord) =>
  join(dir, t.meta.variant, t.meta.task, trialName(t.meta.trial), ARTIFACTS.trajectory);

export async function* runTrajectories(
  run: LoadedRun,
  problems: Problems = new Problems("lenient"),
): AsyncGenerator<TrialTrajectory> {
  for (const trial of run.trials) {
    const stored = readTrajectory(trial.dir, problems);
    let trajectory = stored;
    if (!trajectory && artifactSize(trial.dir, ARTIFACTS.events) > 0) {
      trajectory = await buildTrajectory(
        artifactPath(trial.dir, ARTIFACTS.events),
        readAnalysis(trial.dir, problems),
        {
          copilotVersion: run.record.copilot.version,
        },
      );
    }
    if (!trajectory) continue;
    const { meta } = trial;
    trajectory.extra = {
      ...trajectory.extra,
      trial: {
        experiment: meta.experiment,
        run_id: meta.run_id,
        variant: meta.variant,
        task: meta.task,
        trial: meta.trial,
        status: meta.status,
        success: meta.success,
      },
    };
    yield { trial, trajectory, source: stored ? "trajectory.json" : "events.jsonl" };
  }
}
