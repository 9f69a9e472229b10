import { resolve } from "node:path";
import { defineCommand } from "citty";
import { EXIT } from "../../errors.ts";
import { loadExperiments } from "../../experiment/load.ts";
import { becomeSubreaper } from "../../process/reaper.ts";
import { renderTable } from "../../render/table.ts";
import { checkExperiments } from "../../run/check.ts";
import { log, printJson } from "../../util/log.ts";
import { jsonArgs, parseSandbox, rootArgs, sandboxArgs } from "../args.ts";
import { printView } from "../print.ts";

const MARK = { ok: "✓ ok", broken: "✗ broken", ungraded: "– ungraded", unchecked: "? unchecked" } as const;

export default defineCommand({
  meta: {
    name: "check",
    description: "Validate tasks without Copilot: baseline must fail verify, baseline + solution must pass",
  },
  args: {
    names: { type: "positional", description: "Experiment names (default: all)", required: false },
    ...rootArgs,
    ...jsonArgs,
    ...sandboxArgs,
  },
  async run({ args }) {
    const experiments = loadExperiments(resolve(args.root), args._.map(String));
    await becomeSubreaper();
    const result = await checkExperiments(experiments, {
      sandbox: parseSandbox(args.sandbox),
      onTask: args.json ? undefined : (t) => log.info(`${t.experiment} / ${t.task}: ${t.verdict}`),
    });
    if (args.json) printJson(result);
    else {
      printView(
        renderTable(
          ["experiment", "task", "baseline", "solution", "result", { header: "reason", flex: true, min: 12 }],
          result.tasks.map((t) => [
            t.experiment,
            t.task,
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
            ["experiment", "variant", "agent", "result", { header: "reason", flex: true, min: 12 }],
            result.agents.map((a) => [
              a.experiment,
              a.variant,
              a.agent,
              a.ok ? "✓ ok" : "✗ missing",
              a.reason,
            ]),
          )}`,
        );
      }
    }
    for (const t of result.tasks.filter((x) => x.verdict === "broken" || x.verdict === "unchecked")) {
      if (!args.json) process.stderr.write(`  ${t.experiment} / ${t.task}: ${t.reason}\n`);
    }
    const broken =
      result.tasks.filter((t) => t.verdict === "broken").length + result.agents.filter((a) => !a.ok).length;
    if (broken) log.error(`${broken} problem${broken === 1 ? "" : "s"}: fix the tasks above before running`);
    else if (!args.json) log.success("every task is sound");
    return broken ? EXIT.threshold : EXIT.ok;
  },
});
