import { defineCommand } from "citty";
import { loadExperiments } from "../../experiment/load.ts";
import { renderTable } from "../../render/table.ts";
import { printData, printJson } from "../../util/log.ts";
import { jsonArgs, rootArgs } from "../args.ts";

export default defineCommand({
  meta: { name: "list", description: "List the experiments found under the root" },
  args: { ...rootArgs, ...jsonArgs },
  run({ args }) {
    const experiments = loadExperiments(args.root);
    const rows = experiments.map((e) => ({
      name: e.name,
      slug: e.slug,
      file: e.file,
      tasks: e.tasks.length,
      variants: e.variants.length,
      trials: e.tasks.length * e.variants.reduce((sum, v) => sum + v.trials, 0),
    }));
    if (args.json) {
      printJson({ experiments: rows });
      return;
    }
    printData(
      renderTable(
        ["experiment", "slug", "tasks", "variants", "trials", "file"],
        rows.map((r) => [r.name, r.slug, r.tasks, r.variants, r.trials, r.file]),
      ),
    );
  },
});
