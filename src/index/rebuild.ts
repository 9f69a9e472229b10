import { indexPath as defaultIndexPath, resultsRoot } from "../store/layout.ts";
import { rebuildFromTree } from "./db.ts";

export interface RebuildResult {
  runs: number;
  trials: number;
  /** Run folders (relative to results/) whose run.json could not be read: left out. */
  skipped: string[];
}

/**
 * Rebuild the index of `<root>/results` from the filesystem, in one transaction. Yields exactly
 * the rows incremental indexing (`indexRun`) writes for the same runs.
 */
export function rebuildIndex(root: string, indexPath: string = defaultIndexPath(root)): RebuildResult {
  const tree = rebuildFromTree(indexPath, resultsRoot(root));
  return {
    runs: tree.rows.length,
    trials: tree.rows.reduce((sum, r) => sum + r.trials.length, 0),
    skipped: tree.skipped,
  };
}
