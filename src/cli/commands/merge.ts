import { resolve } from "node:path";
import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { mergeRuns } from "../../run/merge.ts";
import { indexPath } from "../../store/layout.ts";
import { log, printJson } from "../../util/log.ts";
import { writeStderr } from "../../util/stdio.ts";
import { mergeSpec } from "../options/merge.ts";

export default defineCommand({
  meta: mergeSpec.meta,
  args: mergeSpec.args,
  async run({ args }) {
    const dirs = args._.map(String);
    if (dirs.length === 0) {
      throw new UserError("merge needs at least one shard folder", {
        hint: "copilot-experiments merge shard-1/results shard-2/results …",
      });
    }
    const root = resolve(args.root);
    const outcomes = await mergeRuns({
      root,
      dirs: dirs.map((d) => resolve(d)),
      indexPath: indexPath(root),
      force: args.force,
    });
    if (args.json) {
      printJson(
        outcomes.map(({ run, sources, added, replaced }) => ({
          run_dir: run.dir,
          run_id: run.record.run_id,
          status: run.record.status,
          sources,
          trials: run.trials.length,
          added,
          replaced,
          shards: run.record.shards,
        })),
      );
      return;
    }
    for (const { run, sources, added, replaced } of outcomes) {
      const r = run.record;
      const counts = `${run.trials.length}/${r.counts.planned} trials, ${r.status}`;
      if (added === 0) {
        log.info(
          `${r.experiment.name}: run ${r.run_id} already holds these trials — nothing to do (${counts})`,
        );
      } else {
        const what = `${added} trial${added === 1 ? "" : "s"} from ${sources} folder${sources === 1 ? "" : "s"}${replaced ? `, ${replaced} replaced` : ""}`;
        log.success(
          `${r.experiment.name}: run ${r.run_id} merged: ${what} (${r.shards.join(", ") || "no shards"}) — ${counts}`,
        );
      }
      writeStderr(`  ${run.dir}\n`);
    }
  },
});
