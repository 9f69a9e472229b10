import { jsonArgs, rootArgs, runSelectorArgs } from "./shared.ts";

export const showSpec = {
  meta: {
    name: "show",
    description: "Show a run: status, counts, per-variant success with intervals, cost, per-task results",
  },
  args: { ...runSelectorArgs, ...rootArgs, ...jsonArgs },
} as const;
