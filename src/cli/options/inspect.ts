import { jsonArgs, rootArgs, runSelectorArgs, trialSelectorArgs } from "./shared.ts";

export const inspectSpec = {
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
} as const;
