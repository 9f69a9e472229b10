import { jsonArgs, rootArgs } from "./shared.ts";

export const planSpec = {
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
} as const;
