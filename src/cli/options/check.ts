import { jsonArgs, rootArgs, sandboxArgs } from "./shared.ts";

export const checkSpec = {
  meta: {
    name: "check",
    description: "Validate tasks without Copilot: baseline must fail verify, baseline + solution must pass",
  },
  args: {
    names: { type: "positional", description: "Experiment names (default: all)", required: false },
    ...rootArgs,
    ...jsonArgs,
    ...sandboxArgs,
  },
} as const;
