import { dirname, resolve } from "node:path";
import { loadRun } from "../store/reader.ts";
import { runRows } from "./_rows.ts";
import { withIndex, writeRunRows } from "./db.ts";

/**
 * Replace one run's rows in the index (experiments, runs, variants, tasks, trials) in ONE
 * immediate transaction; creates the database and its folder when missing. The run folder is
 * `<results>/<experiment>/<run-id>`: an index of another schema version is rebuilt from that
 * results folder first.
 */
export function indexRun(indexPath: string, runDir: string): void {
  const dir = resolve(runDir);
  const resultsDir = dirname(dirname(dir));
  // Read the files before taking the write lock, so concurrent runs wait only for the inserts.
  const rows = runRows(loadRun(dir), resultsDir);
  withIndex(indexPath, resultsDir, (db) => {
    // Deleting the run's old rows and writing the new ones is one unit: readers never see half.
    db.transaction(() => writeRunRows(db, rows)).immediate();
  });
}
