import { existsSync } from "node:fs";
import type { GithubToken } from "../copilot/auth.ts";
import type { CopilotInvoker } from "../copilot/invoker.ts";
import { mcpInvocation } from "../copilot/mcp.ts";
import type { Experiment } from "../experiment/load.ts";
import { DEFAULT_KEEP_WORKSPACES, type KeepWorkspaces } from "../experiment/schema.ts";
import { acquireRunLock } from "../process/lock.ts";
import { Problems } from "../store/json-file.ts";
import { indexPath } from "../store/layout.ts";
import {
  type LoadedRun,
  orderTrials,
  readRunRecordIfAny,
  readTrial,
  type TrialRecord,
} from "../store/reader.ts";
import { FINAL_STATUSES, INFRA_STATUSES, type RunRecord, type TrialMeta } from "../store/schema.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import { RunWriter } from "../store/writer.ts";
import { runVersions } from "../summary/versions.ts";
import { headOf } from "../workspace/git.ts";
import type { RunContext, TrialCell } from "./context.ts";
import { finalizeRun } from "./finalize.ts";
import { cellKey, planCells, type Shard, shardCells } from "./plan.ts";
import { countStatuses, newRunRecord, runStatus } from "./run-record.ts";
import { runRedactor } from "./run-secrets.ts";
import { startProvider, writeDefinitions } from "./run-setup.ts";
import type { SandboxPlan } from "./sandbox-plan.ts";
import { type EarlySnapshots, RunSnapshots } from "./snapshots.ts";
import { TrialStages } from "./stages.ts";
import { attemptOf, blankMeta, writeUnrunTrial } from "./trial/meta.ts";
import { type NotRun, runTrial, stagingPrefix, type TrialOutcome, trialScope } from "./trial/run-trial.ts";
import { cleanUpAfterKilledTrial } from "./trial-dirs.ts";

export interface RunCallbacks {
  onRunStart?(info: {
    experiment: Experiment;
    runId: string;
    runDir: string;
    total: number;
    kept: number;
  }): void;
  onTrialStart?(cell: TrialCell): void;
  onTrialEnd?(cell: TrialCell, meta: TrialMeta): void;
  onOutput?(cell: TrialCell, chunk: Uint8Array): void;
  /** A damaged file a resume left out (its trial runs again). */
  onWarning?(message: string): void;
}

export interface ExecuteOptions {
  root: string;
  experiment: Experiment;
  runId: string;
  runDir: string;
  /** The SQLite index to update (default `<root>/results/index.db`). */
  indexPath?: string;
  /** Continue an existing run: keep finished trials, re-run the rest. */
  resume: boolean;
  concurrency: number;
  retries: number;
  budgetAiu?: number;
  isolateHome: boolean;
  /** Which trials keep their workspace (default: the experiment's `keep_workspaces`, else `failed`). */
  keepWorkspaces?: KeepWorkspaces;
  shard?: Shard;
  /** What preflight found; the versions the trials ran are added when the run ends. */
  copilot: Omit<RunRecord["copilot"], "versions_ran">;
  invoker: CopilotInvoker;
  token?: GithubToken;
  baseEnv: Record<string, string | undefined>;
  signal: AbortSignal;
  dryRun: boolean;
  /** Route every variant to this built-in script (`--dry-run --with-copilot`). */
  scriptOverride?: string;
  /** How trials are sandboxed (from preflight). */
  sandbox?: SandboxPlan;
  /** Snapshots of the first trials' sources, built while preflight ran (a new run only). */
  early?: EarlySnapshots;
  callbacks?: RunCallbacks;
}

export interface RunOutcome {
  /** The run as finalized: its record and every finished trial, read once. */
  run: LoadedRun;
  summary: RunSummary;
  /** The writer of the run, whose redactor also guards what is printed about it. */
  writer: RunWriter;
}

const aiuOf = (metrics: { aiu?: number | null } | null) =>
  typeof metrics?.aiu === "number" ? metrics.aiu : 0;

/**
 * Execute (or resume) one run of an experiment: trials in a bounded pool, each with its own
 * workspace, COPILOT_HOME and temp folders; then summary, report and index, derived from the
 * run as it is in memory. Trial failures are data; only setup problems of the run itself throw.
 */
export async function executeRun(opts: ExecuteOptions): Promise<RunOutcome> {
  const writer = new RunWriter(opts.runDir, runRedactor(opts.experiment, opts.token, opts.baseEnv)).create();
  // One writer per run slice: a second `--resume` (or a merge) refuses while this one runs.
  const slice = opts.shard ? `${opts.shard.index}-of-${opts.shard.count}` : "whole";
  const lock = acquireRunLock(opts.runDir, slice, opts.resume ? "run --resume" : "run");
  // What a killed harness left of this slice's snapshots goes first; this run's go at its end.
  const snapshots = new RunSnapshots(writer, slice, opts.root);
  try {
    snapshots.remove();
    if (opts.early) snapshots.adopt(await opts.early.moveInto(writer, slice));
    return await executeLocked(opts, writer, snapshots);
  } finally {
    try {
      snapshots.remove();
    } finally {
      lock.release();
    }
  }
}

async function executeLocked(
  opts: ExecuteOptions,
  writer: RunWriter,
  snapshots: RunSnapshots,
): Promise<RunOutcome> {
  const { experiment } = opts;
  const keepWorkspaces = opts.keepWorkspaces ?? experiment.keep_workspaces ?? DEFAULT_KEEP_WORKSPACES;
  const allCells = planCells(experiment);
  const cells = shardCells(allCells, opts.shard);

  const record = newRunRecord({
    experiment,
    runId: opts.runId,
    copilot: opts.copilot,
    rootGitHead: await headOf(opts.root),
    tokenSource: opts.token?.source,
    options: {
      concurrency: opts.concurrency,
      retries: opts.retries,
      budget_aiu: opts.budgetAiu ?? null,
      isolate_home: opts.isolateHome,
      shard: opts.shard ? `${opts.shard.index}/${opts.shard.count}` : null,
      dry_run: opts.dryRun,
      sandbox: opts.sandbox?.mode ?? "none",
      keep_workspaces: keepWorkspaces,
    },
    planned: allCells.length,
  });
  const previous = opts.resume ? readRunRecordIfAny(opts.runDir) : undefined;
  if (previous) record.started_at = previous.started_at;
  writer.writeRecord(record);
  writeDefinitions(writer, experiment);

  // Resume: finished trials stay (read once, here); anything else is cleaned and runs again,
  // and temp files a killed writer left behind go.
  if (opts.resume) writer.removeTempFiles();
  const done = new Map<string, TrialRecord>();
  const todo: TrialCell[] = [];
  for (const cell of cells) {
    const trial = opts.resume ? readKept(writer, cell, opts.callbacks) : undefined;
    if (trial && FINAL_STATUSES.includes(trial.meta.status)) {
      done.set(cellKey(cell), trial);
      continue;
    }
    const dir = writer.trial(cell.variant.slug, cell.task.slug, cell.trial).dir;
    // What a killed harness left of this trial: its processes and its raw staging folders.
    if (opts.resume)
      await cleanUpAfterKilledTrial(dir, trialScope(opts.runDir, cell), stagingPrefix(opts.runDir, cell));
    if (existsSync(dir)) writer.removeTrial(cell.variant.slug, cell.task.slug, cell.trial);
    todo.push(cell);
  }
  opts.callbacks?.onRunStart?.({
    experiment,
    runId: opts.runId,
    runDir: opts.runDir,
    total: cells.length,
    kept: done.size,
  });

  const { provider, scriptedFor } = startProvider(experiment, {
    scriptOverride: opts.scriptOverride,
    scriptedLog: opts.baseEnv.COPILOT_EXPERIMENTS_SCRIPTED_LOG,
  });
  const ctx: RunContext = {
    experiment,
    runId: opts.runId,
    writer,
    copilotBinary: opts.copilot.binary ?? "copilot",
    invoker: opts.invoker,
    token: opts.token,
    isolateHome: opts.isolateHome,
    keepWorkspaces,
    snapshotOf: (task) => snapshots.get(task),
    scriptedFor,
    mcpFor: (variant) => mcpInvocation(variant, experiment.secret_paths),
    baseEnv: opts.baseEnv,
    signal: opts.signal,
    onOutput: opts.callbacks?.onOutput,
    sandbox: opts.sandbox,
  };

  const stages = new TrialStages(opts.concurrency, {
    signal: opts.signal,
    budgetAiu: opts.budgetAiu,
    spentAiu: [...done.values()].reduce((sum, trial) => sum + aiuOf(trial.metrics), 0),
    onTrialStart: opts.callbacks?.onTrialStart,
  });
  const attemptTrial = (cell: TrialCell, attempt: number): Promise<TrialOutcome> =>
    stages.run(
      cell,
      attempt,
      async (gates) => {
        const outcome = await runTrial(ctx, cell, gates);
        return { aiu: aiuOf(outcome.metrics), result: outcome };
      },
      (notRun) => ({
        notRun,
        meta: blankMeta(ctx, cell, notRun.status, new Date().toISOString()),
        metrics: null,
        dir: "",
      }),
    );

  const runCell = async (cell: TrialCell): Promise<TrialOutcome> => {
    const attempts: TrialMeta["attempts"] = [];
    for (let attempt = 1; ; attempt++) {
      // The task's snapshot is built before the attempt starts, so no trial's time includes it;
      // a failed build is the attempt's to report (and the next attempt builds again).
      await snapshots.prepare(cell.task).catch(() => undefined);
      const outcome = await attemptTrial(cell, attempt);
      if (outcome.notRun) {
        if (attempts.length === 0) return outcome;
        return endBeforeRetry(cell, outcome.notRun, attempts);
      }
      const { meta } = outcome;
      const retry = INFRA_STATUSES.includes(meta.status) && attempt <= opts.retries && !opts.signal.aborted;
      if (!retry) {
        if (attempts.length > 0) {
          meta.attempts = [...attempts, attemptOf(meta, attempt, null)];
          writer.trial(cell.variant.slug, cell.task.slug, cell.trial).writeMeta(meta);
        }
        return outcome;
      }
      // Archive first, then record: a crash in between leaves no meta.json, so resume re-runs.
      const rel = writer.trial(cell.variant.slug, cell.task.slug, cell.trial).archiveAttempt(attempt);
      attempts.push(attemptOf(meta, attempt, rel));
    }
  };

  /**
   * A retry stopped before its agent started (the run was interrupted meanwhile): the trial ends
   * with the attempts it made, kept under attempts/; a workspace prepared for the retry goes.
   */
  const endBeforeRetry = (cell: TrialCell, notRun: NotRun, attempts: TrialMeta["attempts"]): TrialOutcome => {
    const trial = writer.trial(cell.variant.slug, cell.task.slug, cell.trial);
    trial.removeWorkspace();
    const meta: TrialMeta = {
      ...blankMeta(ctx, cell, notRun.status, new Date().toISOString()),
      error: `${notRun.reason}: retry ${attempts.length + 1}`,
      attempts,
    };
    trial.writeMeta(meta);
    return { meta, metrics: null, dir: trial.dir };
  };

  /** A trial that never started its agent: recorded exactly as one that was never prepared. */
  const recordNotRun = (cell: TrialCell, notRun: NotRun): void => {
    const trial = writer.trial(cell.variant.slug, cell.task.slug, cell.trial);
    if (existsSync(trial.dir)) writer.removeTrial(cell.variant.slug, cell.task.slug, cell.trial);
    const meta = writeUnrunTrial(ctx, cell, notRun.status, notRun.reason);
    done.set(cellKey(cell), { meta, metrics: null, dir: trial.dir });
    if (notRun.status === "skipped") opts.callbacks?.onTrialEnd?.(cell, meta);
  };

  const queue = [...todo];
  // Enough workers for every stage to be full: preparing and finishing beside the agents.
  const poolSize = Math.max(1, Math.min(3 * opts.concurrency, queue.length));
  const workers = Array.from({ length: poolSize }, async () => {
    for (let cell = queue.shift(); cell; cell = queue.shift()) {
      const notRunYet = stages.notRunReason();
      if (notRunYet) {
        recordNotRun(cell, notRunYet);
        continue;
      }
      const outcome = await runCell(cell);
      if (outcome.notRun) {
        recordNotRun(cell, outcome.notRun);
        continue;
      }
      done.set(cellKey(cell), outcome);
      opts.callbacks?.onTrialEnd?.(cell, outcome.meta);
    }
  });
  try {
    await Promise.all(workers);
  } finally {
    await provider?.stop();
  }

  // Every cell of this run (all shards) with a result: this process's in memory, the rest
  // (other shards sharing the folder) read now, once.
  const others = new Problems("lenient");
  const trials: TrialRecord[] = [];
  for (const cell of allCells) {
    const trial =
      done.get(cellKey(cell)) ??
      readTrial(writer.trial(cell.variant.slug, cell.task.slug, cell.trial).dir, others);
    if (trial !== "missing") trials.push(trial);
  }
  for (const p of others.skipped)
    opts.callbacks?.onWarning?.(`${p.path}: ${p.reason}; left out of the summary`);
  const metas = trials.map((t) => t.meta);
  record.status = runStatus(metas, allCells.length, opts.signal.aborted);
  record.finished_at = new Date().toISOString();
  record.counts = countStatuses(metas, allCells.length);
  record.copilot.versions_ran = runVersions(record, trials);
  writer.writeRecord(record);
  const run: LoadedRun = { dir: opts.runDir, record, trials: orderTrials(trials, record) };
  const summary = finalizeRun(run, writer, {
    indexPath: opts.indexPath ?? indexPath(opts.root),
    env: opts.baseEnv,
  });
  return { run, summary, writer };
}

/** A trial a resume may keep: its meta.json and metrics.json, or a warning when damaged. */
function readKept(writer: RunWriter, cell: TrialCell, callbacks?: RunCallbacks): TrialRecord | undefined {
  const problems = new Problems("lenient");
  const trial = readTrial(writer.trial(cell.variant.slug, cell.task.slug, cell.trial).dir, problems);
  for (const p of problems.skipped) callbacks?.onWarning?.(`${p.path}: ${p.reason}; the trial runs again`);
  return trial === "missing" || problems.skipped.length > 0 ? undefined : trial;
}
