import { relative } from "node:path";
import { defineCommand } from "citty";
import { rebuildIndex } from "../../index/rebuild.ts";
import { indexPath } from "../../store/layout.ts";
import { printData, printJson } from "../../util/log.ts";
import { jsonArgs, rootArgs } from "../args.ts";
import { outputRedactor, warnSkipped } from "../print.ts";

export default defineCommand({
  meta: { name: "reindex", description: "Rebuild results/index.db from the results tree" },
  args: { ...rootArgs, ...jsonArgs },
  run({ args }) {
    const root = String(args.root);
    const path = indexPath(root);
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
