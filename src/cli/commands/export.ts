import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { exportRows, toCsv, toJsonl } from "../../formats/export.ts";
import { resolveRun } from "../../store/finder.ts";
import { loadRun } from "../../store/reader.ts";
import { rootArgs, runSelectorArgs } from "../args.ts";
import { outputRedactor } from "../print.ts";

const FORMATS = ["csv", "jsonl"] as const;

export default defineCommand({
  meta: {
    name: "export",
    description: "Print one flat row per trial (meta, every metric, prompt) as CSV or JSON Lines on stdout",
  },
  args: {
    ...runSelectorArgs,
    ...rootArgs,
    format: {
      type: "string",
      description: "csv or jsonl (default csv)",
      default: "csv",
      valueHint: "FORMAT",
    },
    json: { type: "boolean", description: "Same as --format jsonl", default: false },
  },
  run({ args }) {
    const format = args.json ? "jsonl" : String(args.format);
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UserError(`--format expects csv or jsonl, got ${JSON.stringify(args.format)}`);
    }
    const stored = resolveRun(String(args.root), { run: args.run as string | undefined, last: args.last });
    // Strict: an export with a trial silently missing would be wrong data.
    const rows = outputRedactor().redactValue(exportRows(loadRun(stored.dir)));
    process.stdout.write(format === "csv" ? toCsv(rows) : toJsonl(rows));
  },
});
