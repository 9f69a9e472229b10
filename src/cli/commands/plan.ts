import { defineCommand } from "citty";
import { planComparison } from "../../compare/plan.ts";
import { UserError } from "../../errors.ts";
import { renderPlan } from "../../render/plan.ts";
import { resolveRun } from "../../store/finder.ts";
import { loadRun } from "../../store/reader.ts";
import { printData, printJson } from "../../util/log.ts";
import { parseIntArg, parseProbability } from "../args.ts";
import { planSpec } from "../options/plan.ts";

export default defineCommand({
  meta: planSpec.meta,
  args: planSpec.args,
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
