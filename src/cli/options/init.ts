import { jsonArgs } from "./shared.ts";

export const initSpec = {
  meta: {
    name: "init",
    description: "Scaffold an experiment repository (example experiment, fixture, schema, README)",
  },
  args: {
    dir: {
      type: "positional",
      description: "Folder to create (must be empty unless --force)",
      required: true,
    },
    name: { type: "string", description: "Experiment name (default: the folder name)", valueHint: "N" },
    force: { type: "boolean", description: "Write into a non-empty folder", default: false },
    ...jsonArgs,
  },
} as const;
