import type { Redactor } from "../secrets/redact.ts";
import type { Skipped } from "../store/json-file.ts";
import { indexPath as defaultIndexPath, resultsRoot } from "../store/layout.ts";
import { rebuildFromTree } from "./db.ts";

export interface RebuildResult {
  runs: number;
  trials: number;
  /** Files left out: damaged run.json files (their run is left out) and damaged trial files. */
  skipped: Skipped[];
}

/**
 * Rebuild the index of `<root>/results` from the filesystem, in one transaction. Yields exactly
 * the rows incremental indexing (`indexRun`) writes for the same runs.
 */
export function rebuildIndex(
  root: string,
  redactor: Redactor,
  indexPath: string = defaultIndexPath(root),
): RebuildResult {
  const tree = rebuildFromTree(indexPath, resultsRoot(root), redactor);
  return {
    runs: tree.rows.length,
    trials: tree.rows.reduce((sum, r) => sum + r.trials.length, 0),
    skipped: tree.skipped,
  };
}
