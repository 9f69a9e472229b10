import { defineCommand } from "citty";
import { compareRuns } from "../../compare/compare.ts";
import { UserError } from "../../errors.ts";
import { renderCompare } from "../../render/compare.ts";
import { writeComparePage } from "../../report/compare-page.ts";
import { resolveRun } from "../../store/finder.ts";
import { loadRun } from "../../store/reader.ts";
import { log, printJson } from "../../util/log.ts";
import { parseIntArg, parseProbability } from "../args.ts";
import { compareSpec } from "../options/compare.ts";
import { printView } from "../print.ts";

export default defineCommand({
  meta: compareSpec.meta,
  args: compareSpec.args,
  run({ args }) {
    const root = String(args.root);
    const ids = [args.a, args.b].filter((v): v is string => typeof v === "string" && v !== "");
    if (ids.length === 2 && args.last) {
      throw new UserError("give at most two runs: RUN_A RUN_B, or RUN_A --last");
    }
    if (ids.length === 0 && !args.last) {
      throw new UserError("compare needs a run: RUN --variants A,B, RUN_A RUN_B, or --last", {
        hint: "`copilot-experiments list` shows the stored runs.",
      });
    }
    const runA = loadRun(
      ids[0] ? resolveRun(root, { run: ids[0] }).dir : resolveRun(root, { last: true }).dir,
    );
    const bSel = ids[1] ? { run: ids[1] } : ids[0] && args.last ? { last: true } : null;
    const runB = bSel ? loadRun(resolveRun(root, bSel).dir) : null;
    const variants =
      typeof args.variants === "string" ? args.variants.split(",").map((v) => v.trim()) : undefined;
    const seed = parseIntArg("seed", args.seed, { min: 0 });
    const alpha = parseProbability("alpha", args.alpha);
    const margin = parseProbability("margin", args.margin) ?? null;
    const result = compareRuns(runA, runB, { variants: variants?.filter(Boolean), seed, alpha, margin });
    if (typeof args.html === "string" && args.html !== "") {
      const page = writeComparePage(args.html, result, runB ? [runA, runB] : [runA]);
      log.info(`compare page: ${page}`);
    }
    if (args.json) printJson(result);
    else printView(renderCompare(result));
    return args["fail-on-regression"] && result.regression ? 1 : 0;
  },
});
