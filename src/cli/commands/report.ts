import { resolve } from "node:path";
import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { writeSite } from "../../report/site.ts";
import { writeReport } from "../../report/write.ts";
import { resolveRun } from "../../store/finder.ts";
import { log, printData } from "../../util/log.ts";
import { reportSpec } from "../options/report.ts";
import { warnSkipped } from "../print.ts";

export default defineCommand({
  meta: reportSpec.meta,
  args: reportSpec.args,
  run({ args }) {
    if (args.site !== undefined) {
      if (args.run || args.last || args.out)
        throw new UserError("--site writes every run: give no run, --last or --out with it");
      const site = writeSite(String(args.root), resolve(args.site));
      for (const s of site.skipped) warnSkipped(s.problem ? [s.problem] : []);
      log.info(`site: ${site.pages} pages`);
      printData(site.index);
      return;
    }
    const run = resolveRun(args.root, { run: args.run, last: args.last });
    const path = writeReport(run.dir, {
      out: args.out ? resolve(args.out) : undefined,
      onSkipped: (s) => warnSkipped([s]),
    });
    log.info(`report for ${run.experiment}/${run.runId}`);
    printData(path);
  },
});
