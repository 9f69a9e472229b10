import { defineCommand } from "citty";
import { type Experiment, scanExperiments } from "../../experiment/load.ts";
import { listIndexedRuns } from "../../index/query.ts";
import { renderRuns } from "../../render/runs.ts";
import { renderTable } from "../../render/table.ts";
import { listSpec } from "../options/list.ts";
import { outputRedactor, printRedactedJson, printView, warnSkipped } from "../print.ts";

function experimentRows(experiments: Experiment[]) {
  return experiments.map((e) => ({
    name: e.name,
    slug: e.slug,
    file: e.file,
    tasks: e.tasks.length,
    variants: e.variants.length,
    trials: e.tasks.length * e.variants.reduce((sum, v) => sum + v.trials, 0),
  }));
}

export default defineCommand({
  meta: listSpec.meta,
  args: listSpec.args,
  run({ args }) {
    const root = String(args.root);
    const runs = listIndexedRuns(root, { redactor: outputRedactor(), onSkipped: (s) => warnSkipped([s]) });
    // A broken file is reported beside what loads; stored runs never need the experiment files.
    const scanned = scanExperiments(root);
    const experiments = experimentRows(scanned.experiments);
    const problems = scanned.broken;
    if (args.json) {
      printRedactedJson({ experiments, runs, problems });
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
    if (problems.length) {
      const count = problems.reduce((n, p) => n + p.messages.length, 0);
      parts.push(
        [
          `Not loaded: ${count} problem${count === 1 ? "" : "s"} in ${problems.map((p) => p.file).join(", ")} (\`check\` and \`run\` refuse ${problems.length === 1 ? "it" : "them"} until fixed)`,
          ...problems.flatMap((p) => p.messages.map((m) => `  ${m}`)),
        ].join("\n"),
      );
    } else if (!experiments.length) {
      parts.push("no experiments under experiments/ (`copilot-experiments init DIR` makes some)");
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
