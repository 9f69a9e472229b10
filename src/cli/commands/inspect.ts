import { defineCommand } from "citty";
import { renderInspection } from "../../render/inspect.ts";
import { resolveTrial } from "../../store/finder.ts";
import { inspectTrial } from "../../views/trial-inspection.ts";
import { parseIntArg } from "../args.ts";
import { inspectSpec } from "../options/inspect.ts";
import { printRedactedJson, printView } from "../print.ts";

export default defineCommand({
  meta: inspectSpec.meta,
  args: inspectSpec.args,
  async run({ args }) {
    const events = parseIntArg("events", args.events, { min: 0 }) ?? 10;
    const trial = resolveTrial(String(args.root), {
      run: args.run as string | undefined,
      last: args.last,
      variant: args.variant,
      task: args.task,
      trial: args.trial,
    });
    const inspection = await inspectTrial(trial.dir, {
      events,
      keepWorkspaces: trial.run.record?.options.keep_workspaces,
    });
    if (args.json) printRedactedJson(inspection);
    else printView(renderInspection(inspection));
  },
});
