import { dirname, resolve } from "node:path";
import type { Redactor } from "../secrets/redact.ts";
import type { LoadedRun } from "../store/reader.ts";
import { runRows } from "./_rows.ts";
import { withIndex, writeRunRows } from "./db.ts";

/**
 * Replace one run's rows in the index (experiments, runs, variants, tasks, trials) in ONE
 * immediate transaction, from the run as it is in memory; creates the database and its folder
 * when missing. The run folder is `<results>/<experiment>/<run-id>`: an index of another schema
 * version is rebuilt from that results folder first. Every text cell passes through `redactor`.
 */
export function indexRun(indexPath: string, run: LoadedRun, redactor: Redactor): void {
  const resultsDir = dirname(dirname(resolve(run.dir)));
  // Compute the rows before taking the write lock, so concurrent runs wait only for the inserts.
  const rows = runRows(run, resultsDir, redactor);
  withIndex(
    indexPath,
    resultsDir,
    redactor,
    (db) => {
      // Deleting the run's old rows and writing the new ones is one unit: readers never see half.
      db.transaction(() => writeRunRows(db, rows)).immediate();
    },
    // An index rebuilt first (missing, or of another schema) gets this run's rows from memory.
    { writing: rows },
  );
}
