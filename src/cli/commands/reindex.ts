import { relative } from "node:path";
import { defineCommand } from "citty";
import { rebuildIndex } from "../../index/rebuild.ts";
import { indexPath } from "../../store/layout.ts";
import { log, printData, printJson } from "../../util/log.ts";
import { jsonArgs, rootArgs } from "../args.ts";

export default defineCommand({
  meta: { name: "reindex", description: "Rebuild results/index.db from the results tree" },
  args: { ...rootArgs, ...jsonArgs },
  run({ args }) {
    const root = String(args.root);
    const path = indexPath(root);
    const result = rebuildIndex(root, path);
    for (const dir of result.skipped) log.warn(`skipped ${dir}: its run.json could not be read`);
    if (args.json) {
      printJson({ index: path, ...result });
      return;
    }
    const rel = relative(process.cwd(), path);
    const where = rel && !rel.startsWith("..") ? rel : path;
    printData(`indexed ${result.runs} runs, ${result.trials} trials into ${where}`);
  },
});
