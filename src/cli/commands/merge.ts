import { resolve } from "node:path";
import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { mergeRuns } from "../../run/merge.ts";
import { indexPath } from "../../store/layout.ts";
import { log, printJson } from "../../util/log.ts";
import { jsonArgs, rootArgs } from "../args.ts";

export default defineCommand({
  meta: { name: "merge", description: "Combine shard result trees of one run id into one complete run" },
  args: {
    dirs: {
      type: "positional",
      description: "Shard result folders (each a results/ folder)",
      required: false,
    },
    ...rootArgs,
    ...jsonArgs,
  },
  async run({ args }) {
    const dirs = args._.map(String);
    if (dirs.length === 0) {
      throw new UserError("merge needs at least one shard folder", {
        hint: "copilot-experiments merge shard-1/results shard-2/results …",
      });
    }
    const root = resolve(args.root);
    const outcomes = await mergeRuns({ root, dirs: dirs.map((d) => resolve(d)), indexPath: indexPath(root) });
    if (args.json) {
      printJson(
        outcomes.map((o) => ({
          run_dir: o.runDir,
          run_id: o.record.run_id,
          status: o.record.status,
          sources: o.sources,
          trials: o.trials,
          shards: o.record.shards,
        })),
      );
      return;
    }
    for (const o of outcomes) {
      log.success(
        `${o.record.experiment.name}: run ${o.record.run_id} merged from ${o.sources} folder${o.sources === 1 ? "" : "s"} (${o.record.shards.join(", ") || "no shards"}) — ${o.trials}/${o.record.counts.planned} trials, ${o.record.status}`,
      );
      process.stderr.write(`  ${o.runDir}\n`);
    }
  },
});
