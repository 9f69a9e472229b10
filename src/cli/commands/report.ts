import { resolve } from "node:path";
import { defineCommand } from "citty";
import { writeReport } from "../../report/write.ts";
import { resolveRun } from "../../store/finder.ts";
import { log, printData } from "../../util/log.ts";
import { rootArgs, runSelectorArgs } from "../args.ts";
import { warnSkipped } from "../print.ts";

export default defineCommand({
  meta: {
    name: "report",
    description: "(Re)write a run's report.html: one self-contained file, works offline",
  },
  args: {
    ...runSelectorArgs,
    ...rootArgs,
    out: {
      type: "string",
      description: "Write the report here instead of <run>/report.html",
      valueHint: "FILE",
    },
  },
  run({ args }) {
    const run = resolveRun(args.root, { run: args.run, last: args.last });
    const path = writeReport(run.dir, {
      out: args.out ? resolve(args.out) : undefined,
      onSkipped: (s) => warnSkipped([s]),
    });
    log.info(`report for ${run.experiment}/${run.runId}`);
    printData(path);
  },
});
