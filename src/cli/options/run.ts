import { rootArgs, sandboxArgs, verboseArgs } from "./shared.ts";

export const runSpec = {
  meta: { name: "run", description: "Run all (or the named) experiments: tasks × variants × trials" },
  args: {
    names: {
      type: "positional",
      description: "Experiment names, slugs or file stems (default: all)",
      required: false,
    },
    ...rootArgs,
    ...verboseArgs,
    variants: {
      type: "string",
      description: "Run only these variants (names or slugs, comma-separated)",
      valueHint: "A,B",
    },
    "dry-run": {
      type: "boolean",
      description: "Check the whole pipeline in a throwaway folder (mock Copilot)",
      default: false,
    },
    "with-copilot": {
      type: "boolean",
      description: "With --dry-run: use the real CLI against the scripted provider",
      default: false,
    },
    copilot: {
      type: "string",
      description: "Copilot CLI executable (default: $COPILOT_BIN, install-copilot's, PATH, node_modules)",
      valueHint: "PATH",
    },
    concurrency: {
      type: "string",
      description:
        "Agents at once (default: the experiment's, else 1); as many trials prepare and finish beside them",
      valueHint: "N",
    },
    retries: {
      type: "string",
      description: "Re-run copilot_failed / harness_error trials up to N times",
      default: "0",
      valueHint: "N",
    },
    resume: {
      type: "string",
      description: "Continue run RUN, or without a value the latest unfinished one",
      valueHint: "RUN",
    },
    force: {
      type: "boolean",
      description: "With --resume: continue even if the experiment changed",
      default: false,
    },
    shard: {
      type: "string",
      description: "Run slice K of N of the trials (with --run-id)",
      valueHint: "K/N",
    },
    "run-id": {
      type: "string",
      description: "Use this run id (shards of one run share it)",
      valueHint: "ID",
    },
    junit: { type: "string", description: "Write JUnit XML here", valueHint: "FILE" },
    "fail-under": {
      type: "string",
      description: "Exit 1 when the overall success rate is lower",
      valueHint: "RATE",
    },
    "budget-aiu": {
      type: "string",
      description: "Start no new trial once the run has spent X AIU",
      valueHint: "X",
    },
    "isolate-home": {
      type: "boolean",
      description: "Give each trial its own COPILOT_HOME",
      default: true,
      negativeDescription: "Use your own COPILOT_HOME",
    },
    ...sandboxArgs,
    "keep-workspaces": {
      type: "string",
      description:
        "Which trials keep workspace/ after verify: all, failed, none (default: the experiment's, else failed)",
      valueHint: "WHICH",
    },
  },
} as const;
