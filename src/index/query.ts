import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { relative } from "node:path";
import type { Redactor } from "../secrets/redact.ts";
import { listStoredRuns } from "../store/finder.ts";
import type { Skipped } from "../store/json-file.ts";
import { indexPath as defaultIndexPath, resultsRoot } from "../store/layout.ts";
import { rebuildFromTree, withIndex } from "./db.ts";

/** One stored run as the index knows it (`list`). */
export interface IndexedRun {
  experiment: string;
  run_id: string;
  experiment_name: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  n_planned: number | null;
  n_trials: number;
  n_graded: number;
  n_success: number;
  /** Infrastructure failures (copilot_failed + harness_error), reported beside the rate. */
  n_failed_trials: number;
  success_rate: number | null;
  success_ci_low: number | null;
  success_ci_high: number | null;
  total_aiu: number | null;
  n_aiu_known: number;
  total_tokens: number | null;
  /** The run folder relative to results/. */
  dir: string;
}

const RUNS_SQL = `SELECT experiment, run_id, experiment_name, status, started_at, finished_at, n_planned,
  n_trials, n_graded, n_success, n_copilot_failed + n_harness_error AS n_failed_trials, success_rate,
  success_ci_low, success_ci_high, total_aiu, n_aiu_known, total_tokens, dir
  FROM runs ORDER BY started_at, run_id`;

/** What the filesystem says about each run that the index must agree with. */
function fingerprint(status: unknown, finishedAt: unknown): string {
  return `${String(status)}|${String(finishedAt ?? "")}`;
}

/**
 * The stored runs, oldest first, read from the index. The index is (re)built first when it is
 * missing, of another schema version, corrupt, or out of step with the run folders on disk (a run
 * copied in, deleted, or finished without reaching the index). No results folder: no runs, and
 * nothing is written.
 */
export function listIndexedRuns(
  root: string,
  opts: { redactor: Redactor; indexPath?: string; onSkipped?: (skipped: Skipped) => void },
): IndexedRun[] {
  const { redactor } = opts;
  const indexPath = opts.indexPath ?? defaultIndexPath(root);
  const resultsDir = resultsRoot(root);
  if (!existsSync(resultsDir)) return [];
  const stored = listStoredRuns(root);
  for (const r of stored) if (r.problem) opts.onSkipped?.(r.problem);
  const onDisk = new Map(
    stored
      .filter((r) => r.record)
      .map((r) => [
        relative(resultsDir, r.dir).split("\\").join("/"),
        fingerprint(r.record!.status, r.record!.finished_at),
      ]),
  );
  if (onDisk.size === 0 && !existsSync(indexPath)) return [];
  const read = () =>
    withIndex(indexPath, resultsDir, redactor, (db) => db.query(RUNS_SQL).all() as IndexedRun[]);
  let runs = read();
  const inIndex = new Map(runs.map((r) => [r.dir, fingerprint(r.status, r.finished_at)]));
  const stale =
    inIndex.size !== onDisk.size || [...onDisk].some(([dir, print]) => inIndex.get(dir) !== print);
  if (stale) {
    rebuildFromTree(indexPath, resultsDir, redactor);
    runs = read();
  }
  return runs;
}

/** Trials of a run in the index (0 when the index is missing or unreadable): `run --dry-run`'s check. */
export function countIndexedTrials(indexPath: string, runId: string): number {
  if (!existsSync(indexPath)) return 0;
  let db: Database | undefined;
  try {
    db = new Database(indexPath, { readonly: true });
    const row = db.query("SELECT COUNT(*) AS n FROM trials WHERE run_id = ?").get(runId) as {
      n: number;
    } | null;
    return row?.n ?? 0;
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}
