import { Database } from "bun:sqlite";
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors.ts";
import { TRIAL_COLUMNS } from "../formats/trial-columns.ts";
import type { Redactor } from "../secrets/redact.ts";
import { runFolders } from "../store/finder.ts";
import { DamagedFileError, type Skipped } from "../store/json-file.ts";
import { loadRunLenient } from "../store/reader.ts";
import { type RunRows, runRows } from "./_rows.ts";
import { DDL, INDEX_SCHEMA_VERSION, RUN_COLUMNS, TASK_COLUMNS, VARIANT_COLUMNS } from "./schema.ts";

/**
 * Opening, writing and rebuilding the SQLite index. Concurrent runs share one file: WAL mode, a
 * busy timeout, and every writing transaction `BEGIN IMMEDIATE` (a deferred read-then-write
 * transaction would fail with SQLITE_BUSY_SNAPSHOT instead of waiting).
 */

const BUSY_TIMEOUT_MS = 5000;

function openDb(path: string): Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true });
  try {
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Rows are wide (every metric is a column): 16 KB pages hold ~25 of them. Applies only when
    // the file is created (before WAL mode writes its header); existing files keep theirs.
    db.run("PRAGMA page_size = 16384");
    db.run("PRAGMA journal_mode = WAL");
    db.run("PRAGMA synchronous = NORMAL");
    // A rebuild writes every row in one transaction: keep its pages in memory (64 MB at most).
    db.run("PRAGMA cache_size = -65536");
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function userVersion(db: Database): number {
  return (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
}

/** Remove a corrupt index (and its WAL files) so it can be rebuilt; false when that fails. */
function removeDbFiles(path: string): boolean {
  try {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
    return true;
  } catch {
    return false;
  }
}

export interface LoadedTree {
  rows: RunRows[];
  /** Files left out: run.json files that could not be read (their run is left out), damaged trials. */
  skipped: Skipped[];
}

/** The rows of every run under a results folder (`results/<experiment>/<run-id>/run.json`). */
export function loadTreeRows(resultsDir: string, redactor: Redactor, known?: RunRows): LoadedTree {
  const rows: RunRows[] = [];
  const skipped: Skipped[] = [];
  for (const { experiment, runId, dir } of runFolders(resultsDir)) {
    // A run whose rows are in memory already (the one being indexed) is not read again.
    if (known && known.key[0] === experiment && known.key[1] === runId) {
      rows.push(known);
      continue;
    }
    try {
      const read = loadRunLenient(dir);
      rows.push(runRows(read.run, resultsDir, redactor));
      skipped.push(...read.skipped);
    } catch (err) {
      if (!(err instanceof DamagedFileError)) throw err;
      skipped.push({ path: err.path, reason: err.reason });
    }
  }
  return { rows, skipped };
}

const insertSql = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;

const names = (cols: readonly (readonly [string, string])[]) => cols.map(([n]) => n);

type Sql = string | number | null;

/** Insert rows with one prepared statement; an array binds positionally, as in `Database.run(sql, [..])`,
 * at half the cost of spreading 60-odd arguments per row. */
function insertAll(db: Database, table: string, columns: readonly string[], rows: readonly Sql[][]): void {
  const statement = db.query(insertSql(table, columns));
  const run = statement.run.bind(statement) as unknown as (params: Sql[]) => void;
  for (const row of rows) run(row);
}

/** Replace one run's rows and refresh its experiment's row. Call inside a write transaction. */
export function writeRunRows(db: Database, rows: RunRows): void {
  const [experiment, runId] = rows.key;
  for (const table of ["trials", "tasks", "variants", "runs"]) {
    db.query(`DELETE FROM ${table} WHERE experiment = ? AND run_id = ?`).run(experiment, runId);
  }
  insertAll(db, "runs", ["experiment", "run_id", ...names(RUN_COLUMNS)], [rows.run]);
  insertAll(db, "variants", ["experiment", "run_id", "variant", ...names(VARIANT_COLUMNS)], rows.variants);
  insertAll(db, "tasks", ["experiment", "run_id", "task", ...names(TASK_COLUMNS)], rows.tasks);
  insertAll(
    db,
    "trials",
    TRIAL_COLUMNS.map((c) => c.name),
    rows.trials,
  );
  refreshExperiment(db, experiment);
}

/** An experiment's row describes its most recent indexed run. */
function refreshExperiment(db: Database, experiment: string): void {
  db.query("DELETE FROM experiments WHERE experiment = ?").run(experiment);
  db.query(
    `INSERT INTO experiments
       SELECT experiment, experiment_name, experiment_description, experiment_file, experiment_hash,
              (SELECT COUNT(*) FROM runs r WHERE r.experiment = runs.experiment), run_id, started_at
       FROM runs WHERE experiment = ? ORDER BY started_at DESC, run_id DESC LIMIT 1`,
  ).run(experiment);
}

/** Drop and recreate every table, fill them from `tree`, and stamp the schema version. */
function writeTree(db: Database, tree: LoadedTree): void {
  const existing = db
    .query("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index')")
    .all() as {
    type: string;
    name: string;
  }[];
  for (const { name } of existing.filter((e) => e.type === "table" && !e.name.startsWith("sqlite_"))) {
    db.run(`DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`);
  }
  for (const statement of DDL) db.run(statement);
  for (const rows of tree.rows) writeRunRows(db, rows);
  db.run(`PRAGMA user_version = ${INDEX_SCHEMA_VERSION}`);
}

/**
 * Run `fn` with an open index whose schema is current. A missing file, an index of another
 * schema version or a corrupt file is rebuilt from `resultsDir` first. An index that cannot be
 * opened, written or rebuilt is a user error naming the file (exit 2), never a crash.
 */
export function withIndex<T>(
  indexPath: string,
  resultsDir: string,
  redactor: Redactor,
  fn: (db: Database) => T,
  opts: { ensureCurrent?: boolean; writing?: RunRows } = {},
): T {
  for (let attempt = 0; ; attempt++) {
    let db: Database | undefined;
    try {
      db = openDb(indexPath);
      if (opts.ensureCurrent !== false) ensureCurrent(db, resultsDir, redactor, opts.writing);
      return fn(db);
    } catch (err) {
      if (err instanceof UserError) throw err;
      if (attempt > 0 || !isCorruption(err) || !removeDbFiles(indexPath)) throw unusableIndex(indexPath, err);
    } finally {
      db?.close();
    }
  }
}

/** Why the index cannot be used, and what to do about it. */
function unusableIndex(indexPath: string, err: unknown): UserError {
  const code = (err as { code?: unknown })?.code;
  const why = err instanceof Error ? err.message : String(err);
  return new UserError(`the index ${indexPath} cannot be used: ${why}${code ? ` (${String(code)})` : ""}`, {
    hint: "It is derived from the results tree: make results/ writable (or remove the file), then run `copilot-experiments reindex` to rebuild it.",
  });
}

/**
 * Rebuild an index that is missing or of another schema version. `writing` is a run the caller
 * writes right after: the rebuild takes its rows from memory instead of its folder, in the same
 * transaction as the rest, so an index stamped current always holds it.
 */
function ensureCurrent(db: Database, resultsDir: string, redactor: Redactor, writing?: RunRows): void {
  if (userVersion(db) === INDEX_SCHEMA_VERSION) return;
  // Read the files before taking the write lock; re-check under it: another process may have
  // rebuilt the index meanwhile.
  const tree = loadTreeRows(resultsDir, redactor, writing);
  db.transaction(() => {
    if (userVersion(db) !== INDEX_SCHEMA_VERSION) writeTree(db, tree);
  }).immediate();
}

/**
 * Rebuild the whole index from `resultsDir` in one transaction. The rebuild skips the fsync
 * (`synchronous = OFF` on this connection only): the index is derived, so the worst a power cut
 * in the middle can do is leave one that `reindex` rebuilds; everyday incremental writes keep
 * the default durability.
 */
export function rebuildFromTree(indexPath: string, resultsDir: string, redactor: Redactor): LoadedTree {
  const tree = loadTreeRows(resultsDir, redactor);
  withIndex(
    indexPath,
    resultsDir,
    redactor,
    (db) => {
      db.run("PRAGMA synchronous = OFF");
      db.transaction(() => writeTree(db, tree)).immediate();
    },
    { ensureCurrent: false },
  );
  return tree;
}
