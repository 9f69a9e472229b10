import type { CopilotInvoker } from "../copilot/invoker.ts";
import type { Experiment } from "../experiment/load.ts";
import type { KeepWorkspaces } from "../experiment/schema.ts";
import { removeAbandonedPendingSnapshots } from "../store/pending-snapshots.ts";
import { type ExecuteOptions, executeRun, type RunCallbacks, type RunOutcome } from "./execute.ts";
import { planCells, type Shard } from "./plan.ts";
import type { Preflight } from "./preflight.ts";
import { EarlySnapshots } from "./snapshots.ts";
import { chooseRunTarget } from "./start.ts";

export interface RunAllOptions {
  root: string;
  experiments: Experiment[];
  preflight: Preflight;
  invoker: CopilotInvoker;
  concurrency?: number;
  retries: number;
  budgetAiu?: number;
  isolateHome: boolean;
  /** `run --keep-workspaces`: overrides each experiment's `keep_workspaces`. */
  keepWorkspaces?: KeepWorkspaces;
  shard?: Shard;
  runId?: string;
  resume?: string | boolean;
  force: boolean;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  callbacks?: RunCallbacks;
  /** Results go here instead of `<root>/results/<experiment>/<run-id>` (dry runs). */
  runDirFor?: (experiment: Experiment, runId: string) => string;
  /** The SQLite index to update (default `<root>/results/index.db`). */
  indexPath?: string;
  dryRun?: boolean;
  scriptOverride?: string;
  /** Snapshots built while preflight ran, for the new run of this experiment (`startEarlySnapshots`). */
  early?: { experiment: string; snapshots: EarlySnapshots };
}

/**
 * Start building the snapshots of the first trials (as many as run at once) of a new run of the
 * first experiment, so that they overlap preflight; the caller discards them if the run does not
 * start (`EarlySnapshots.discard`). None for a resume (which trials run again is known only from
 * the run folder) or a shard.
 */
export function startEarlySnapshots(opts: {
  root: string;
  experiments: readonly Experiment[];
  concurrency?: number;
  shard?: Shard;
  resume?: string | boolean;
}): RunAllOptions["early"] {
  // What a harness killed during its preflight left goes first, whatever this run does.
  for (const e of opts.experiments) removeAbandonedPendingSnapshots(opts.root, e.slug);
  const experiment = opts.experiments[0];
  // A shard's run folder is shared with the other shards and resumed as such (`chooseRunTarget`).
  if (!experiment || opts.shard || (opts.resume !== undefined && opts.resume !== false)) return undefined;
  const first = planCells(experiment).slice(0, opts.concurrency ?? experiment.concurrency ?? 1);
  // Not a clone: a failed preflight waits for the builds before it removes them, and a clone can
  // take minutes.
  const tasks = first.map((cell) => cell.task).filter((task) => !task.repo);
  if (tasks.length === 0) return undefined;
  const snapshots = new EarlySnapshots({ root: opts.root, experiment: experiment.slug, tasks });
  return { experiment: experiment.slug, snapshots };
}

/** Run each experiment in turn (each is one run with its own id); stops early when interrupted. */
export async function runAll(opts: RunAllOptions): Promise<RunOutcome[]> {
  const targets = opts.experiments.map((experiment) => ({
    experiment,
    target: chooseRunTarget({
      root: opts.root,
      experiment,
      runId: opts.runId,
      resume: opts.resume,
      sharded: opts.shard !== undefined,
      force: opts.force,
    }),
  }));
  const outcomes: RunOutcome[] = [];
  for (const { experiment, target } of targets) {
    if (opts.signal.aborted) break;
    const copilot = opts.preflight.copilot;
    const execute: ExecuteOptions = {
      root: opts.root,
      experiment,
      runId: target.runId,
      runDir: opts.runDirFor ? opts.runDirFor(experiment, target.runId) : target.dir,
      indexPath: opts.indexPath,
      resume: target.resume,
      concurrency: opts.concurrency ?? experiment.concurrency ?? 1,
      retries: opts.retries,
      budgetAiu: opts.budgetAiu,
      isolateHome: opts.isolateHome,
      keepWorkspaces: opts.keepWorkspaces,
      shard: opts.shard,
      copilot: copilot
        ? { version: copilot.version, binary: copilot.path, source: copilot.source }
        : { version: "mock", binary: null, source: "dry-run mock invoker" },
      invoker: opts.invoker,
      token: opts.preflight.token,
      baseEnv: opts.env,
      signal: opts.signal,
      dryRun: opts.dryRun ?? false,
      scriptOverride: opts.scriptOverride,
      callbacks: opts.callbacks,
      sandbox: opts.preflight.sandboxes.get(experiment.slug),
      early: opts.early?.experiment === experiment.slug && !target.resume ? opts.early.snapshots : undefined,
    };
    outcomes.push(await executeRun(execute));
  }
  return outcomes;
}
