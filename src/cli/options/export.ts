import { rootArgs, runSelectorArgs } from "./shared.ts";

export const exportSpec = {
  meta: {
    name: "export",
    description:
      "Print one flat row per trial (meta, every metric, prompt) as CSV or JSON Lines on stdout; or each trial's session as an ATIF trajectory (--format atif: JSON Lines, or one trajectory.json per trial under --out DIR)",
  },
  args: {
    ...runSelectorArgs,
    ...rootArgs,
    format: {
      type: "string",
      description: "csv, jsonl or atif (default csv)",
      default: "csv",
      valueHint: "FORMAT",
    },
    json: { type: "boolean", description: "Same as --format jsonl", default: false },
    out: {
      type: "string",
      description: "With --format atif: one trajectory.json per trial under this folder (variant/task/NNN)",
      valueHint: "DIR",
    },
  },
} as const;
