import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { loadExperiments } from "../../experiment/load.ts";
import { listIndexedRuns } from "../../index/query.ts";
import { renderRuns } from "../../render/runs.ts";
import { renderTable } from "../../render/table.ts";
import { jsonArgs, rootArgs } from "../args.ts";
import { outputRedactor, printRedactedJson, printView, warnSkipped } from "../print.ts";

function experimentRows(root: string, haveRuns: boolean) {
  try {
    return loadExperiments(root).map((e) => ({
      name: e.name,
      slug: e.slug,
      file: e.file,
      tasks: e.tasks.length,
      variants: e.variants.length,
      trials: e.tasks.length * e.variants.reduce((sum, v) => sum + v.trials, 0),
    }));
  } catch (err) {
    // A folder holding only results (copied from CI, say) still lists its runs.
    if (haveRuns && err instanceof UserError && err.message.startsWith("no experiment files found"))
      return [];
    throw err;
  }
}

export default defineCommand({
  meta: { name: "list", description: "List the experiments found under the root and the stored runs" },
  args: { ...rootArgs, ...jsonArgs },
  run({ args }) {
    const root = String(args.root);
    const runs = listIndexedRuns(root, { redactor: outputRedactor(), onSkipped: (s) => warnSkipped([s]) });
    const experiments = experimentRows(root, runs.length > 0);
    if (args.json) {
      printRedactedJson({ experiments, runs });
      return;
    }
    const parts: string[] = [];
    if (experiments.length) {
      parts.push(
        renderTable(
          [
            { header: "experiment", flex: true },
            // The slug is what `run NAME` takes: never shortened.
            { header: "slug", min: Math.max(...experiments.map((r) => r.slug.length)) },
            "tasks",
            "variants",
            "trials",
            { header: "file", flex: true },
          ],
          experiments.map((r) => [r.name, r.slug, r.tasks, r.variants, r.trials, r.file]),
        ),
      );
    }
    if (runs.length) {
      parts.push(
        `Stored runs (infra = copilot_failed + harness_error, not in the success rate)\n\n${renderRuns(runs)}`,
      );
    } else {
      parts.push("no stored runs yet (`copilot-experiments run` stores them under results/)");
    }
    printView(parts.join("\n\n"));
  },
});
