import { UserError } from "../errors.ts";
import type { Experiment } from "../experiment/load.ts";
import { listStoredRuns, resolveRun, runExists } from "../store/finder.ts";
import { isValidRunId, newRunId, runDir } from "../store/layout.ts";
import { readRunRecord } from "../store/reader.ts";

/** Run statuses `--resume` without an id picks up. */
const UNFINISHED = new Set(["running", "interrupted", "partial"]);

export interface RunTarget {
  runId: string;
  dir: string;
  resume: boolean;
}

/**
 * Where a run of `experiment` goes: a new id, a given `--run-id` (shards of one run share it),
 * or an existing run to resume (`--resume [RUN]`: default the latest unfinished one). A resumed
 * run must have the same experiment hash unless `force`.
 */
export function chooseRunTarget(opts: {
  root: string;
  experiment: Experiment;
  runId?: string;
  resume?: string | boolean;
  sharded: boolean;
  force: boolean;
}): RunTarget {
  const { root, experiment } = opts;
  if (opts.resume !== undefined && opts.resume !== false) {
    let dir: string;
    let runId: string;
    if (typeof opts.resume === "string" && opts.resume !== "") {
      const run = resolveRun(root, { run: opts.resume, experiment: experiment.slug });
      ({ dir, runId } = run);
    } else if (opts.runId) {
      runId = opts.runId;
      dir = runDir(root, experiment.slug, runId);
      if (!runExists(root, experiment.slug, runId)) {
        throw new UserError(`no run ${runId} of ${experiment.slug} to resume`);
      }
    } else {
      const unfinished = listStoredRuns(root, experiment.slug).filter((r) =>
        UNFINISHED.has(r.record?.status ?? "running"),
      );
      const latest = unfinished.at(-1);
      if (!latest) {
        throw new UserError(`no unfinished run of ${experiment.slug} to resume`, {
          hint: "Give the run id (`--resume RUN`), or start a new run without --resume.",
        });
      }
      ({ dir, runId } = latest);
    }
    checkSameExperiment(dir, experiment, opts.force);
    return { runId, dir, resume: true };
  }
  if (opts.runId !== undefined) {
    if (!isValidRunId(opts.runId)) {
      throw new UserError(`--run-id ${JSON.stringify(opts.runId)} is not a valid folder name`, {
        hint: "Use letters, digits, '.', '_' and '-' (e.g. ci-1234).",
      });
    }
    const dir = runDir(root, experiment.slug, opts.runId);
    if (runExists(root, experiment.slug, opts.runId)) {
      // Shards of one run on one machine share the folder; anything else would overwrite a run.
      if (!opts.sharded) {
        throw new UserError(`run ${opts.runId} of ${experiment.slug} already exists`, {
          hint: "Use --resume to continue it, or choose another --run-id.",
        });
      }
      checkSameExperiment(dir, experiment, opts.force);
    }
    return { runId: opts.runId, dir, resume: opts.sharded };
  }
  const runId = newRunId();
  return { runId, dir: runDir(root, experiment.slug, runId), resume: false };
}

function checkSameExperiment(dir: string, experiment: Experiment, force: boolean): void {
  const record = readRunRecord(dir);
  if (record.experiment.hash !== experiment.hash && !force) {
    throw new UserError(
      `the experiment ${experiment.file} changed since run ${record.run_id} started (hash differs)`,
      {
        hint: "Resuming would mix results of two different experiments. Start a new run, or pass --force to resume anyway.",
      },
    );
  }
}
