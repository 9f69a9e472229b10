import { jsonArgs, rootArgs } from "./shared.ts";

export const doctorSpec = {
  meta: {
    name: "doctor",
    description:
      "What a run would find here (Copilot CLI, its version and features, git, token, results/); exit 1 when run would refuse",
  },
  args: {
    ...rootArgs,
    ...jsonArgs,
    copilot: {
      type: "string",
      description: "Copilot CLI executable (default: $COPILOT_BIN, install-copilot's, PATH, node_modules)",
      valueHint: "PATH",
    },
  },
} as const;
