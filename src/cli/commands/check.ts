import { resolve } from "node:path";
import { defineCommand } from "citty";
import { EXIT } from "../../errors.ts";
import { invalid, loadExperiments, scanExperiments } from "../../experiment/load.ts";
import { displayName } from "../../formats/names.ts";
import { becomeSubreaper } from "../../process/reaper.ts";
import { renderTable } from "../../render/table.ts";
import { checkExperiments } from "../../run/check.ts";
import { log, printJson } from "../../util/log.ts";
import { writeStderr } from "../../util/stdio.ts";
import { parseSandbox } from "../args.ts";
import { checkSpec } from "../options/check.ts";
import { printView } from "../print.ts";

const MARK = { ok: "✓ ok", broken: "✗ broken", ungraded: "– ungraded", unchecked: "? unchecked" } as const;

export default defineCommand({
  meta: checkSpec.meta,
  args: checkSpec.args,
  async run({ args }) {
    const root = resolve(args.root);
    const wanted = args._.map(String);
    // Without names, a broken file does not stop the others from being checked; it is
    // reported at the end (exit 2). Named experiments must all load.
    const scan = wanted.length ? undefined : scanExperiments(root);
    const experiments = scan?.experiments.length ? scan.experiments : loadExperiments(root, wanted);
    const brokenFiles = scan?.broken ?? [];
    // Shown by the names tables use everywhere (formats/names.ts); --json keeps the slugs.
    const names = new Map<string, string>();
    for (const e of experiments) {
      names.set(e.slug, displayName(e));
      for (const t of e.tasks) names.set(`${e.slug}/${t.slug}`, displayName(t));
      for (const v of e.variants) names.set(`${e.slug}//${v.slug}`, displayName(v));
    }
    const experimentName = (slug: string) => names.get(slug) ?? slug;
    const taskName = (e: string, t: string) => names.get(`${e}/${t}`) ?? t;
    const variantName = (e: string, v: string) => names.get(`${e}//${v}`) ?? v;
    await becomeSubreaper();
    const result = await checkExperiments(experiments, {
      sandbox: parseSandbox(args.sandbox),
      onTask: args.json
        ? undefined
        : (t) =>
            log.info(`${experimentName(t.experiment)} / ${taskName(t.experiment, t.task)}: ${t.verdict}`),
    });
    if (args.json) printJson({ ...result, problems: brokenFiles });
    else {
      printView(
        renderTable(
          [
            { header: "experiment", names: true },
            { header: "task", names: true },
            "baseline",
            "solution",
            "result",
            { header: "reason", flex: true, min: 12 },
          ],
          result.tasks.map((t) => [
            experimentName(t.experiment),
            taskName(t.experiment, t.task),
            t.baseline_fails === null ? "–" : t.baseline_fails ? "fails" : "PASSES",
            t.solution_passes === null ? "–" : t.solution_passes ? "passes" : "FAILS",
            MARK[t.verdict],
            t.reason,
          ]),
        ),
      );
      if (result.agents.length) {
        printView(
          `\n${renderTable(
            [
              { header: "experiment", names: true },
              { header: "variant", names: true },
              "agent",
              "result",
              { header: "reason", flex: true, min: 12 },
            ],
            result.agents.map((a) => [
              experimentName(a.experiment),
              variantName(a.experiment, a.variant),
              a.agent,
              a.ok ? "✓ ok" : "✗ missing",
              a.reason,
            ]),
          )}`,
        );
      }
    }
    for (const t of result.tasks.filter((x) => x.verdict === "broken" || x.verdict === "unchecked")) {
      if (!args.json)
        writeStderr(`  ${experimentName(t.experiment)} / ${taskName(t.experiment, t.task)}: ${t.reason}\n`);
    }
    const broken =
      result.tasks.filter((t) => t.verdict === "broken").length + result.agents.filter((a) => !a.ok).length;
    if (broken) log.error(`${broken} problem${broken === 1 ? "" : "s"}: fix the tasks above before running`);
    else if (!args.json && !brokenFiles.length) log.success("every task is sound");
    if (brokenFiles.length) throw invalid(brokenFiles.flatMap((f) => f.messages));
    return broken ? EXIT.threshold : EXIT.ok;
  },
});
