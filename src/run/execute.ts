import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { GithubToken } from "../copilot/auth.ts";
import { mcpInvocation } from "../copilot/mcp.ts";
import type { Experiment } from "../experiment/load.ts";
import { acquireRunLock } from "../process/lock.ts";
import { ARTIFACTS, indexPath, trialDir } from "../results/layout.ts";
import { FINAL_STATUSES, INFRA_STATUSES, type RunRecord, type TrialMeta } from "../results/schema.ts";
import { writeJsonAtomic } from "../util/fs-atomic.ts";
import { headOf } from "../workspace/git.ts";
import { finalizeRun } from "./finalize.ts";
import type { CopilotInvoker } from "./invoker.ts";
import { cellKey, planCells, type Shard, shardCells } from "./plan.ts";
import { countStatuses, newRunRecord, runStatus } from "./run-record.ts";
import { startProvider, writeDefinitions } from "./run-setup.ts";
import { type RunContext, runTrial, stagingPrefix, type TrialCell, trialScope } from "./trial.ts";
import { archiveAttempt, cleanUpAfterKilledTrial, readTrialMeta, removeTempArtifacts } from "./trial-dirs.ts";
import { writeUnrunTrial } from "./trial-meta.ts";

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
  shard?: Shard;
  copilot: RunRecord["copilot"];
  invoker: CopilotInvoker;
  token?: GithubToken;
  baseEnv: Record<string, string | undefined>;
  signal: AbortSignal;
  dryRun: boolean;
  /** Route every variant to this built-in script (`--dry-run --with-copilot`). */
  scriptOverride?: string;
  callbacks?: RunCallbacks;
}

export interface RunOutcome {
  runDir: string;
  record: RunRecord;
  metas: TrialMeta[];
}

function trialAiu(dir: string): number {
  try {
    const metrics = JSON.parse(readFileSync(join(dir, ARTIFACTS.metrics), "utf8")) as { aiu?: number | null };
    return typeof metrics.aiu === "number" ? metrics.aiu : 0;
  } catch {
    return 0;
  }
}

/**
 * Execute (or resume) one run of an experiment: trials in a bounded pool, each with its own
 * workspace, COPILOT_HOME and temp folders; then summary, index and report. Trial failures are
 * data; only setup problems of the run itself throw.
 */
export async function executeRun(opts: ExecuteOptions): Promise<RunOutcome> {
  const { experiment, runDir } = opts;
  const allCells = planCells(experiment);
  const cells = shardCells(allCells, opts.shard);
  mkdirSync(runDir, { recursive: true });
  const lock = acquireRunLock(
    runDir,
    opts.shard ? `${opts.shard.index}-of-${opts.shard.count}` : "whole",
    opts.resume ? "run --resume" : "run",
  );
  try {
    return await executeLocked(opts, allCells, cells);
  } finally {
    lock.release();
  }
}

async function executeLocked(
  opts: ExecuteOptions,
  allCells: TrialCell[],
  cells: TrialCell[],
): Promise<RunOutcome> {
  const { experiment, runDir } = opts;

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
    },
    planned: allCells.length,
  });
  const runJson = join(runDir, ARTIFACTS.run);
  if (opts.resume && existsSync(runJson)) {
    const previous = JSON.parse(readFileSync(runJson, "utf8")) as Partial<RunRecord>;
    if (previous.started_at) record.started_at = previous.started_at;
  }
  writeJsonAtomic(runJson, record);
  writeDefinitions(opts);

  // Resume: finished trials stay; anything else is cleaned and runs again, and temp files a
  // killed writer left behind go.
  if (opts.resume) removeTempArtifacts(runDir);
  const metas = new Map<string, TrialMeta>();
  const todo: TrialCell[] = [];
  for (const cell of cells) {
    const dir = trialDir(runDir, cell.variant.slug, cell.task.slug, cell.trial);
    const existing = opts.resume ? readTrialMeta(dir) : undefined;
    if (existing && FINAL_STATUSES.includes(existing.status)) {
      metas.set(cellKey(cell), existing);
      continue;
    }
    if (opts.resume)
      await cleanUpAfterKilledTrial(dir, trialScope(runDir, cell), stagingPrefix(runDir, cell));
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    todo.push(cell);
  }
  opts.callbacks?.onRunStart?.({
    experiment,
    runId: opts.runId,
    runDir,
    total: cells.length,
    kept: metas.size,
  });

  let spentAiu = 0;
  for (const meta of metas.values()) {
    spentAiu += trialAiu(trialDir(runDir, meta.variant, meta.task, meta.trial));
  }
  const { provider, scriptedFor } = startProvider(opts);
  const ctx: RunContext = {
    experiment,
    runId: opts.runId,
    runDir,
    copilotBinary: opts.copilot.binary ?? "copilot",
    invoker: opts.invoker,
    token: opts.token,
    isolateHome: opts.isolateHome,
    scriptedFor,
    mcpFor: (variant) => mcpInvocation(variant, experiment.secret_paths),
    baseEnv: opts.baseEnv,
    signal: opts.signal,
    onOutput: opts.callbacks?.onOutput,
  };

  const runCell = async (cell: TrialCell): Promise<TrialMeta> => {
    const dir = trialDir(runDir, cell.variant.slug, cell.task.slug, cell.trial);
    const attempts: TrialMeta["attempts"] = [];
    for (let attempt = 1; ; attempt++) {
      const meta = await runTrial(ctx, cell);
      const retry = INFRA_STATUSES.includes(meta.status) && attempt <= opts.retries && !opts.signal.aborted;
      if (!retry) {
        if (attempts.length > 0) {
          meta.attempts = [...attempts, attemptOf(meta, attempt, null)];
          writeJsonAtomic(join(dir, ARTIFACTS.meta), meta);
        }
        return meta;
      }
      // Archive first, then record: a crash in between leaves no meta.json, so resume re-runs.
      const rel = archiveAttempt(dir, attempt);
      attempts.push(attemptOf(meta, attempt, rel));
    }
  };

  const queue = [...todo];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency, queue.length)) }, async () => {
    for (let cell = queue.shift(); cell; cell = queue.shift()) {
      if (opts.signal.aborted) {
        metas.set(cellKey(cell), writeUnrunTrial(ctx, cell, "interrupted", "interrupted before it started"));
        continue;
      }
      if (opts.budgetAiu !== undefined && spentAiu >= opts.budgetAiu) {
        const reason = `budget of ${opts.budgetAiu} AIU reached (${spentAiu.toFixed(2)} AIU spent)`;
        const meta = writeUnrunTrial(ctx, cell, "skipped", reason);
        metas.set(cellKey(cell), meta);
        opts.callbacks?.onTrialEnd?.(cell, meta);
        continue;
      }
      opts.callbacks?.onTrialStart?.(cell);
      const meta = await runCell(cell);
      spentAiu += trialAiu(trialDir(runDir, cell.variant.slug, cell.task.slug, cell.trial));
      metas.set(cellKey(cell), meta);
      opts.callbacks?.onTrialEnd?.(cell, meta);
    }
  });
  try {
    await Promise.all(workers);
  } finally {
    await provider?.stop();
  }

  // Cells of this run (all shards) that have a result on disk, in plan order.
  const finished = allCells
    .map(
      (cell) =>
        metas.get(cellKey(cell)) ??
        readTrialMeta(trialDir(runDir, cell.variant.slug, cell.task.slug, cell.trial)),
    )
    .filter((m): m is TrialMeta => m !== undefined);
  record.status = runStatus(finished, allCells.length, opts.signal.aborted);
  record.finished_at = new Date().toISOString();
  record.counts = countStatuses(finished, allCells.length);
  writeJsonAtomic(runJson, record);
  await finalizeRun({ runDir, indexPath: opts.indexPath ?? indexPath(opts.root) });
  return { runDir, record, metas: finished };
}

function attemptOf(meta: TrialMeta, attempt: number, dir: string | null): TrialMeta["attempts"][number] {
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
