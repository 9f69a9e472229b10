import { resolve } from "node:path";
import { defineCommand, type ParsedArgs } from "citty";
import { realInvoker } from "../../copilot/invoker.ts";
import { EXIT } from "../../errors.ts";
import { type Experiment, loadExperiments } from "../../experiment/load.ts";
import { selectVariants } from "../../experiment/select.ts";
import { becomeSubreaper } from "../../process/reaper.ts";
import { createProgress } from "../../render/progress.ts";
import { preflight } from "../../run/preflight.ts";
import { runAll, startEarlySnapshots } from "../../run/run-all.ts";
import { chooseRunTarget } from "../../run/start.ts";
import { log } from "../../util/log.ts";
import { colorFor, isTerminal } from "../../util/stdio.ts";
import { runSpec } from "../options/run.ts";
import { logSandboxes } from "../print.ts";
import { handleInterrupts } from "../signals.ts";
import { reportRunEnd } from "./_run-end.ts";
import { parseRunOptions, type RunOptions } from "./_run-options.ts";

export default defineCommand({
  meta: runSpec.meta,
  args: runSpec.args,
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
      return await preflightAndRun({ root, experiments, args, options, early });
    } finally {
      await early?.snapshots.discard();
    }
  },
});

/** Preflight, then every experiment's run with live progress and Ctrl-C handling; the exit code. */
async function preflightAndRun(opts: {
  root: string;
  experiments: Experiment[];
  args: ParsedArgs<typeof runSpec.args>;
  options: RunOptions;
  early: ReturnType<typeof startEarlySnapshots>;
}): Promise<number> {
  const { root, experiments, args, options, early } = opts;
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
  const progress = createProgress({ live: isTerminal(2) && !process.env.CI, verbose: args.verbose, color });
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
}
