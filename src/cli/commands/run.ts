import { resolve } from "node:path";
import { defineCommand } from "citty";
import { realInvoker } from "../../copilot/invoker.ts";
import { EXIT } from "../../errors.ts";
import { loadExperiments } from "../../experiment/load.ts";
import { selectVariants } from "../../experiment/select.ts";
import { becomeSubreaper } from "../../process/reaper.ts";
import { createProgress } from "../../render/progress.ts";
import { preflight } from "../../run/preflight.ts";
import { runAll, startEarlySnapshots } from "../../run/run-all.ts";
import { chooseRunTarget } from "../../run/start.ts";
import { log } from "../../util/log.ts";
import { colorFor, isTerminal } from "../../util/stdio.ts";
import { rootArgs, sandboxArgs, verboseArgs } from "../args.ts";
import { logSandboxes } from "../print.ts";
import { handleInterrupts } from "../signals.ts";
import { reportRunEnd } from "./_run-end.ts";
import { parseRunOptions } from "./_run-options.ts";

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
  async run({ args }) {
    const root = resolve(args.root);
    // Every option is checked before anything runs, dry or not: a CI command line that passes
    // a dry run is one the real run accepts (ADR 0016).
    const options = parseRunOptions(args);
    const experiments = selectVariants(loadExperiments(root, args._.map(String)), options.variants);
    if (args["dry-run"]) {
      for (const experiment of experiments) chooseRunTarget({ root, experiment, ...options.target });
      const { runDryRun } = await import("./_dry-run.ts");
      return runDryRun({
        root,
        experiments,
        withCopilot: args["with-copilot"],
        copilotFlag: args.copilot,
        verbose: args.verbose,
        sandbox: options.sandbox,
      });
    }
    // The first trials' sources are laid down while preflight runs (ADR 0017); a run that does
    // not start removes them.
    const early = startEarlySnapshots({
      root,
      experiments,
      concurrency: options.concurrency,
      shard: options.target.shard,
      resume: options.target.resume,
    });
    try {
      const checked = await preflight({
        root,
        experiments,
        env: process.env,
        copilotFlag: args.copilot,
        mock: false,
        allScripted: false,
        isolateHome: args["isolate-home"],
        sandbox: options.sandbox,
      });
      if (checked.copilot) log.info(`Copilot CLI ${checked.copilot.version} (${checked.copilot.source})`);
      if (checked.token) log.info(`GitHub token from ${checked.token.source}`);
      logSandboxes(checked.sandboxes);

      const color = colorFor(2);
      const progress = createProgress({
        live: isTerminal(2) && !process.env.CI,
        verbose: args.verbose,
        color,
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
          concurrency: options.concurrency,
          retries: options.retries,
          budgetAiu: options.budgetAiu,
          isolateHome: args["isolate-home"],
          keepWorkspaces: options.keepWorkspaces,
          shard: options.target.shard,
          runId: options.target.runId,
          resume: options.target.resume,
          force: options.target.force,
          env: process.env,
          signal: interrupts.controller.signal,
          callbacks: progress,
          early,
        });
        progress.finish();
        const code = await reportRunEnd(outcomes, { junit: args.junit, failUnder: options.failUnder, color });
        return interrupts.controller.signal.aborted ? EXIT.interrupted : code;
      } finally {
        progress.finish();
        interrupts.dispose();
      }
    } finally {
      await early?.snapshots.discard();
    }
  },
});
