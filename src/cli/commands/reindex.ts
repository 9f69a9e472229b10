import { existsSync } from "node:fs";
import { relative } from "node:path";
import { defineCommand } from "citty";
import { rebuildIndex } from "../../index/rebuild.ts";
import { listStoredRuns } from "../../store/finder.ts";
import { indexPath, resultsRoot } from "../../store/layout.ts";
import { log, printData, printJson } from "../../util/log.ts";
import { reindexSpec } from "../options/reindex.ts";
import { outputRedactor, warnSkipped } from "../print.ts";

export default defineCommand({
  meta: reindexSpec.meta,
  args: reindexSpec.args,
  run({ args }) {
    const root = String(args.root);
    const path = indexPath(root);
    // Nothing to index and no index to empty: say so, and create nothing.
    if (listStoredRuns(root).length === 0 && !existsSync(path)) {
      if (args.json) printJson({ index: null, runs: 0, trials: 0, skipped: [] });
      else log.info(`no runs under ${resultsRoot(root)}: nothing to index, nothing written`);
      return;
    }
    const result = rebuildIndex(root, outputRedactor(), path);
    warnSkipped(result.skipped);
    if (args.json) {
      printJson({ index: path, ...result });
      return;
    }
    const rel = relative(process.cwd(), path);
    const where = rel && !rel.startsWith("..") ? rel : path;
    printData(`indexed ${result.runs} runs, ${result.trials} trials into ${where}`);
  },
});
