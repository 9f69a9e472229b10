import { defineCommand } from "citty";
import { planComparison } from "../../compare/plan.ts";
import { UserError } from "../../errors.ts";
import { renderPlan } from "../../render/plan.ts";
import { resolveRun } from "../../store/finder.ts";
import { loadRun } from "../../store/reader.ts";
import { printData, printJson } from "../../util/log.ts";
import { jsonArgs, parseIntArg, parseProbability, rootArgs } from "../args.ts";

export default defineCommand({
  meta: {
    name: "plan",
    description:
      "Trials per task needed for `compare --fail-on-regression` to flag a drop in success rate, and their cost: from a baseline run (--baseline RUN) or a rate (--rate R --tasks N)",
  },
  args: {
    baseline: {
      type: "string",
      description: "Baseline run (id or unique prefix): its tasks, rates and cost",
      valueHint: "RUN",
    },
    variant: {
      type: "string",
      description: "Variant of the baseline run (needed when it has several)",
      valueHint: "V",
    },
    rate: {
      type: "string",
      description: "Without a baseline: the success rate of every task",
      valueHint: "R",
    },
    tasks: { type: "string", description: "Without a baseline: the number of tasks", valueHint: "N" },
    detect: {
      type: "string",
      description: "The drop in success rate to flag, e.g. 0.1 (10 points)",
      valueHint: "D",
    },
    power: { type: "string", description: "Chance of flagging that drop (default 0.8)", valueHint: "P" },
    alpha: { type: "string", description: "Significance level of the gate (default 0.05)", valueHint: "A" },
    seed: { type: "string", description: "Seed of the power simulation (default 42)", valueHint: "N" },
    ...rootArgs,
    ...jsonArgs,
  },
  run({ args }) {
    const detect = parseProbability("detect", args.detect);
    if (detect === undefined)
      throw new UserError("plan needs --detect D: the drop in success rate to flag", {
        hint: "e.g. --detect 0.1",
      });
    const opts = {
      detect,
      power: parseProbability("power", args.power),
      alpha: parseProbability("alpha", args.alpha),
      seed: parseIntArg("seed", args.seed, { min: 0 }),
    };
    const rate = parseProbability("rate", args.rate);
    const tasks = parseIntArg("tasks", args.tasks, { min: 1 });
    if (args.baseline && (rate !== undefined || tasks !== undefined)) {
      throw new UserError("give either --baseline RUN or --rate R --tasks N, not both");
    }
    let result: ReturnType<typeof planComparison>;
    if (args.baseline) {
      const run = loadRun(resolveRun(String(args.root), { run: String(args.baseline) }).dir);
      result = planComparison({ run, variant: args.variant as string | undefined }, opts);
    } else {
      if (rate === undefined || tasks === undefined) {
        throw new UserError("plan needs a baseline: --baseline RUN, or --rate R --tasks N", {
          hint: "e.g. copilot-experiments plan --rate 0.7 --tasks 10 --detect 0.1",
        });
      }
      result = planComparison({ rate, tasks }, opts);
    }
    if (args.json) printJson(result);
    else printData(renderPlan(result));
  },
});
