import { resolve } from "node:path";
import { defineCommand } from "citty";
import { realInvoker } from "../../copilot/invoker.ts";
import { EXIT, UserError } from "../../errors.ts";
import { loadExperiments } from "../../experiment/load.ts";
import { KEEP_WORKSPACES, type KeepWorkspaces } from "../../experiment/schema.ts";
import { becomeSubreaper } from "../../process/reaper.ts";
import { createProgress } from "../../render/progress.ts";
import { parseShard } from "../../run/plan.ts";
import { preflight } from "../../run/preflight.ts";
import { runAll } from "../../run/run-all.ts";
import { log } from "../../util/log.ts";
import { parseIntArg, parseNumberArg, rootArgs, verboseArgs } from "../args.ts";
import { handleInterrupts } from "../signals.ts";
import { reportRunEnd } from "./_run-end.ts";

export default defineCommand({
  meta: { name: "run", description: "Run all (or the named) experiments: tasks × variants × trials" },
  args: {
    names: {
      type: "positional",
      description: "Experiment names, slugs or file stems (default: all)",
      required: false,
    },
    ...rootArgs,
    ...verboseArgs,
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
      description: "Trials at once (default: the experiment's, else 1)",
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
      description: "Continue a run (default: the latest unfinished one)",
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
    "keep-workspaces": {
      type: "string",
      description:
        "Which trials keep workspace/ after verify: all, failed, none (default: the experiment's, else failed)",
      valueHint: "WHICH",
    },
  },
  async run({ args }) {
    const names = args._.map(String);
    const root = resolve(args.root);
    if (args["dry-run"]) {
      const { runDryRun } = await import("./_dry-run.ts");
      return runDryRun({
        root,
        names,
        withCopilot: args["with-copilot"],
        copilotFlag: args.copilot,
        verbose: args.verbose,
      });
    }
    const concurrency = parseIntArg("concurrency", args.concurrency, { min: 1 });
    const retries = parseIntArg("retries", args.retries, { min: 0 }) ?? 0;
    const budgetAiu = parseNumberArg("budget-aiu", args["budget-aiu"], { min: 0 });
    const failUnder = parseNumberArg("fail-under", args["fail-under"], { min: 0, max: 1 });
    const shard = parseShard(args.shard);
    const keepWorkspaces = parseKeepWorkspaces(args["keep-workspaces"]);
    const experiments = loadExperiments(root, names);
    const checked = await preflight({
      root,
      experiments,
      env: process.env,
      copilotFlag: args.copilot,
      mock: false,
      allScripted: false,
      isolateHome: args["isolate-home"],
    });
    if (checked.copilot) log.info(`Copilot CLI ${checked.copilot.version} (${checked.copilot.source})`);
    if (checked.token) log.info(`GitHub token from ${checked.token.source}`);

    const progress = createProgress({
      live: !!process.stderr.isTTY && !process.env.CI,
      verbose: args.verbose,
      color: !!process.stderr.isTTY && !process.env.NO_COLOR,
    });
    // Processes that leave a trial are re-parented to the harness, which kills them (ADR 0013).
    await becomeSubreaper();
    const interrupts = handleInterrupts(() => {
      progress.finish();
      log.warn(
        "Interrupted: stopping running trials and writing what finished (press Ctrl-C again to exit at once)",
      );
    });
    try {
      const outcomes = await runAll({
        root,
        experiments,
        preflight: checked,
        invoker: realInvoker,
        concurrency,
        retries,
        budgetAiu,
        isolateHome: args["isolate-home"],
        keepWorkspaces,
        shard,
        runId: args["run-id"],
        resume: args.resume,
        force: args.force,
        env: process.env,
        signal: interrupts.controller.signal,
        callbacks: progress,
      });
      progress.finish();
      const code = await reportRunEnd(outcomes, { junit: args.junit, failUnder });
      return interrupts.controller.signal.aborted ? EXIT.interrupted : code;
    } finally {
      progress.finish();
      interrupts.dispose();
    }
  },
});

function parseKeepWorkspaces(value: string | undefined): KeepWorkspaces | undefined {
  if (value === undefined || value === "") return undefined;
  if ((KEEP_WORKSPACES as readonly string[]).includes(value)) return value as KeepWorkspaces;
  throw new UserError(
    `--keep-workspaces expects ${KEEP_WORKSPACES.join(", ")}, got ${JSON.stringify(value)}`,
    {
      hint: "failed keeps the workspace of every trial that did not pass verify; the diff is always kept.",
    },
  );
}
