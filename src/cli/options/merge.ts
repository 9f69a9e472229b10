import { jsonArgs, rootArgs } from "./shared.ts";

export const mergeSpec = {
  meta: { name: "merge", description: "Combine shard result trees of one run id into one complete run" },
  args: {
    dirs: {
      type: "positional",
      description: "Shard result folders (each a results/ folder)",
      required: false,
    },
    force: {
      type: "boolean",
      description: "Replace trials the run already holds with other results",
      default: false,
    },
    ...rootArgs,
    ...jsonArgs,
  },
} as const;
