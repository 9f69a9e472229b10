import type { PlanResult } from "../compare/plan.ts";
import { aiu, pct, seconds, tokens } from "../formats/numbers.ts";
import { renderTable } from "./table.ts";
import { wrapLine } from "./wrap.ts";

/** Terminal rendering of `plan` (plain data from src/compare/plan.ts). */

export function renderPlan(p: PlanResult, width?: number): string {
  const wrap = (text: string) => wrapLine(text, { width, indent: 2 });
  const from = p.baseline
    ? `baseline: run ${p.baseline.run_id} · variant ${p.baseline.variant}, ${p.tasks.length} tasks`
    : `baseline: rate ${pct(p.tasks[0]!.rate)} on each of ${p.tasks.length} tasks`;
  const lines = [
    from,
    wrap(
      `goal: flag a drop of ${Math.round(p.detect * 100)}pp with ${pct(p.power_target)} power (one-sided, α = ${p.alpha})`,
    ),
    "",
  ];
  if (p.baseline) {
    lines.push(
      renderTable(
        [
          { header: "task", min: 12 },
          { header: "rate", align: "right" },
          { header: "graded", align: "right" },
        ],
        p.tasks.map((t) => [t.task, pct(t.rate), String(t.n_graded)]),
        { width },
      ),
      "",
    );
  }
  if (p.trials_per_task === null) {
    lines.push("trials per task: more than 2000 per variant");
  } else {
    lines.push(
      `trials per task: ${p.trials_per_task} for each variant (${p.total_trials} trials in all)`,
      wrap(
        `power: ${pct(p.power, 1)} ± ${pct(p.power_se, 1)} (simulated, ${p.sims} experiments, seed ${p.seed}; normal approximation ${pct(p.analytic_power, 1)})`,
      ),
    );
  }
  if (p.cost && p.total_trials !== null) {
    const c = p.cost;
    lines.push(
      wrap(
        `cost: ${c.total_aiu === null ? "AIU unknown" : `${aiu(c.total_aiu)} AIU`}, ${tokens(c.total_tokens)} tokens, ${seconds(c.wall_time_s)} at concurrency ${c.concurrency} (per trial: ${c.aiu_per_trial === null ? "–" : aiu(c.aiu_per_trial)} AIU, ${tokens(c.tokens_per_trial)} tokens, ${seconds(c.duration_s_per_trial)})`,
      ),
    );
  }
  for (const w of p.warnings) lines.push(wrap(`warning: ${w}`));
  return lines.join("\n");
}
