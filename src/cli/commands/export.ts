import { resolve } from "node:path";
import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { exportedPath, runTrajectories } from "../../formats/atif.ts";
import { exportRows, toCsv, toJsonl } from "../../formats/export.ts";
import { resolveRun } from "../../store/finder.ts";
import { loadRun } from "../../store/reader.ts";
import { writeOutput } from "../../store/writer.ts";
import { log, printData } from "../../util/log.ts";
import { writeStdout } from "../../util/stdio.ts";
import { exportSpec } from "../options/export.ts";
import { outputRedactor } from "../print.ts";

const FORMATS = ["csv", "jsonl", "atif"] as const;

export default defineCommand({
  meta: exportSpec.meta,
  args: exportSpec.args,
  async run({ args }) {
    const format = args.json ? "jsonl" : String(args.format);
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UserError(`--format expects csv, jsonl or atif, got ${JSON.stringify(args.format)}`);
    }
    if (args.out !== undefined && format !== "atif") {
      throw new UserError("--out goes with --format atif", {
        hint: "CSV and JSON Lines are printed on stdout.",
      });
    }
    const stored = resolveRun(String(args.root), { run: args.run as string | undefined, last: args.last });
    // Strict: an export with a trial silently missing would be wrong data.
    const run = loadRun(stored.dir);
    if (format !== "atif") {
      const rows = outputRedactor().redactValue(exportRows(run));
      writeStdout(format === "csv" ? toCsv(rows) : toJsonl(rows));
      return;
    }
    const redactor = outputRedactor();
    let n = 0;
    for await (const { trial, trajectory } of runTrajectories(run)) {
      n += 1;
      if (args.out === undefined) writeStdout(`${JSON.stringify(redactor.redactValue(trajectory))}\n`);
      else {
        const path = exportedPath(resolve(args.out), trial);
        writeOutput(path, `${redactor.json(trajectory)}\n`, redactor);
        printData(path);
      }
    }
    log.info(`${n} of ${run.trials.length} trials had a session: ${n} ATIF trajectories`);
  },
});
