import { defineCommand } from "citty";
import { renderRunOverview } from "../../render/summary.ts";
import { resolveRun } from "../../store/finder.ts";
import { loadRunLenient } from "../../store/reader.ts";
import { summarizeRun } from "../../summary/run-summary.ts";
import { workspaceRetention } from "../../views/workspaces.ts";
import { showSpec } from "../options/show.ts";
import { printRedactedJson, printView, warnSkipped } from "../print.ts";

export default defineCommand({
  meta: showSpec.meta,
  args: showSpec.args,
  run({ args }) {
    const stored = resolveRun(String(args.root), { run: args.run as string | undefined, last: args.last });
    // A damaged trial is left out with a warning naming its file; a damaged run.json is an error.
    const { run, skipped } = loadRunLenient(stored.dir);
    warnSkipped(skipped);
    // Computed from the trials, not read from summary.json: the files are the source of truth.
    const summary = summarizeRun(run);
    const workspaces = workspaceRetention(run);
    if (args.json) {
      printRedactedJson({
        run: {
          run_id: run.record.run_id,
          experiment: run.record.experiment,
          status: run.record.status,
          started_at: run.record.started_at,
          finished_at: run.record.finished_at,
          copilot: run.record.copilot,
          counts: run.record.counts,
          dir: stored.dir,
          variants: run.record.variants,
          workspaces,
        },
        summary,
      });
      return;
    }
    printView(renderRunOverview(summary, run.record, undefined, workspaces));
  },
});
