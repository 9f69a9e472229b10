import { jsonArgs, rootArgs } from "./shared.ts";

export const compareSpec = {
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
} as const;
