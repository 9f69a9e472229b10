import { defineCommand } from "citty";
import { compareRuns } from "../../compare/compare.ts";
import { UserError } from "../../errors.ts";
import { renderCompare } from "../../render/compare.ts";
import { writeComparePage } from "../../report/compare-page.ts";
import { resolveRun } from "../../store/finder.ts";
import { loadRun } from "../../store/reader.ts";
import { log, printJson } from "../../util/log.ts";
import { jsonArgs, parseIntArg, parseProbability, rootArgs } from "../args.ts";
import { printView } from "../print.ts";

export default defineCommand({
  meta: {
    name: "compare",
    description:
      "Compare two variants of one run (RUN --variants A,B) or of two runs (RUN_A RUN_B): success per task (Fisher, Holm-adjusted) and over tasks (exact test stratified by task, difference with a 95% interval, power), cost and token ratios with bootstrap intervals",
  },
  args: {
    a: { type: "positional", description: "Run A (the baseline): id or unique prefix", required: false },
    b: {
      type: "positional",
      description: "Run B (the candidate); omit to compare variants of run A",
      required: false,
    },
    last: {
      type: "boolean",
      description: "Use the most recent run as B (or as the only run)",
      default: false,
    },
    variants: {
      type: "string",
      description: "A,B: variant of A and of B (one name: the same variant in both runs)",
      valueHint: "A,B",
    },
    "fail-on-regression": {
      type: "boolean",
      description:
        "Exit 1 when B is worse than A in success (one-sided p ≤ alpha, Holm-adjusted across pairs); with --margin, unless B is shown no worse than A − D",
      default: false,
    },
    alpha: { type: "string", description: "Significance level of the gate (default 0.05)", valueHint: "A" },
    margin: {
      type: "string",
      description: "Non-inferiority margin D in (0, 1), e.g. 0.05: fail unless B is shown within D of A",
      valueHint: "D",
    },
    seed: {
      type: "string",
      description: "Seed of the bootstrap and the power simulation (default 42)",
      valueHint: "N",
    },
    html: {
      type: "string",
      description:
        "Also write the comparison as a self-contained page to FILE, linking each trial into its run's report",
      valueHint: "FILE",
    },
    ...rootArgs,
    ...jsonArgs,
  },
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
