import type { CopilotInvoker } from "../copilot/invoker.ts";
import type { Experiment } from "../experiment/load.ts";
import type { KeepWorkspaces } from "../experiment/schema.ts";
import { type ExecuteOptions, executeRun, type RunCallbacks, type RunOutcome } from "./execute.ts";
import type { Shard } from "./plan.ts";
import type { Preflight } from "./preflight.ts";
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
    };
    outcomes.push(await executeRun(execute));
  }
  return outcomes;
}
