import { defineCommand } from "citty";
import { renderInspection } from "../../render/inspect.ts";
import { resolveTrial } from "../../store/finder.ts";
import { inspectTrial } from "../../views/trial-inspection.ts";
import { jsonArgs, parseIntArg, rootArgs, runSelectorArgs, trialSelectorArgs } from "../args.ts";
import { printRedactedJson, printView } from "../print.ts";

export default defineCommand({
  meta: {
    name: "inspect",
    description: "Inspect one trial: meta, metrics, verify output, diff stat, last session events",
  },
  args: {
    ...runSelectorArgs,
    ...rootArgs,
    ...trialSelectorArgs,
    events: {
      type: "string",
      description: "How many of the last session events to list (default 10)",
      valueHint: "K",
    },
    ...jsonArgs,
  },
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
