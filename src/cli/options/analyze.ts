import { jsonArgs, rootArgs, runSelectorArgs, trialSelectorArgs } from "./shared.ts";

export const analyzeSpec = {
  meta: {
    name: "analyze",
    description: "Analyze one Copilot session: tokens, cost, tools, LLM calls, timeline",
  },
  args: {
    ...runSelectorArgs,
    ...rootArgs,
    ...trialSelectorArgs,
    file: { type: "string", description: "A session log (events.jsonl) instead of a run", valueHint: "FILE" },
    "otel-file": {
      type: "string",
      description: "OTel file of the session (default: copilot-otel.jsonl next to --file)",
      valueHint: "FILE",
    },
    "max-turns": {
      type: "string",
      description: "Most turns and LLM calls listed (default 40)",
      valueHint: "N",
    },
    ...jsonArgs,
  },
} as const;
