/** Option fragments shared by many commands, spread into each command's `args` (./index.ts). */

export const rootArgs = {
  root: {
    type: "string",
    description: "Experiment root (holds experiments/, fixtures/, results/)",
    default: ".",
    valueHint: "DIR",
  },
} as const;

export const jsonArgs = {
  json: { type: "boolean", description: "Print machine-readable JSON on stdout", default: false },
} as const;

export const verboseArgs = {
  verbose: {
    type: "boolean",
    description: "More output; stack traces for unexpected errors",
    default: false,
  },
} as const;

/** RUN positional + `--last`: a run id, a unique prefix of one, or the most recent run. */
export const runSelectorArgs = {
  run: { type: "positional", description: "Run id or a unique prefix of one", required: false },
  last: { type: "boolean", description: "Use the most recent run", default: false },
} as const;

export const trialSelectorArgs = {
  variant: { type: "string", description: "Variant name or slug (default: the first)", valueHint: "V" },
  task: { type: "string", description: "Task name or slug (default: the first)", valueHint: "T" },
  trial: { type: "string", description: "Trial number (default: 1)", valueHint: "N" },
} as const;

export const sandboxArgs = {
  sandbox: {
    type: "string",
    description:
      "Sandbox for trials: auto (bwrap when it works here), bwrap, none (default: the experiment's)",
    valueHint: "MODE",
  },
} as const;
