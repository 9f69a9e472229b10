import { EXIT } from "../../errors.ts";
import type { Experiment } from "../../experiment/load.ts";
import type { SandboxMode } from "../../experiment/schema.ts";
import { becomeSubreaper } from "../../process/reaper.ts";
import { createProgress } from "../../render/progress.ts";
import { renderTable } from "../../render/table.ts";
import { dryRun } from "../../run/dry-run.ts";
import { preflight } from "../../run/preflight.ts";
import { log } from "../../util/log.ts";
import { logSandboxes, printView } from "../print.ts";
import { handleInterrupts } from "../signals.ts";

/** `run --dry-run [--with-copilot]`: run the pipeline in a throwaway folder and print the checklist. */
export async function runDryRun(opts: {
  root: string;
  experiments: Experiment[];
  withCopilot: boolean;
  copilotFlag?: string;
  verbose: boolean;
  sandbox?: SandboxMode;
}): Promise<number> {
  const { experiments } = opts;
  const checked = await preflight({
    root: opts.root,
    experiments,
    env: process.env,
    copilotFlag: opts.copilotFlag,
    mock: !opts.withCopilot,
    allScripted: opts.withCopilot,
    sandbox: opts.sandbox,
  });
  logSandboxes(checked.sandboxes);
  log.info(
    opts.withCopilot
      ? `Dry run with the real Copilot CLI ${checked.copilot?.version} against the scripted provider (no credentials, no cost)`
      : "Dry run with a mock Copilot (add --with-copilot to exercise the real CLI against the scripted provider)",
  );
  await becomeSubreaper();
  const progress = createProgress({ live: false, verbose: opts.verbose, color: false });
  const interrupts = handleInterrupts(() => log.warn("Interrupted"));
  try {
    const result = await dryRun({
      root: opts.root,
      experiments,
      preflight: checked,
      withCopilot: opts.withCopilot,
      env: process.env,
      signal: interrupts.controller.signal,
      callbacks: progress,
    });
    printView(
      renderTable(
        ["", "stage", "scope", "detail"],
        result.items.map((i) => [i.ok ? "✓" : "✗", i.stage, i.scope, i.detail]),
      ),
    );
    const failed = result.items.filter((i) => !i.ok).length;
    if (failed) log.error(`dry run: ${failed} of ${result.items.length} checks failed`);
    else log.success(`dry run: all ${result.items.length} checks passed; nothing was written under results/`);
    if (interrupts.controller.signal.aborted) return EXIT.interrupted;
    return failed ? EXIT.threshold : EXIT.ok;
  } finally {
    progress.finish();
    interrupts.dispose();
  }
}
