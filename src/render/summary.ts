import type { RunSummary } from "../results/summary.ts";
import { compact, DASH, fixed, pct, rateWithCi, seconds } from "./format.ts";
import { renderTable } from "./table.ts";

/** The per-variant table printed at the end of `run` and by `show`. */
export function renderVariantTable(summary: RunSummary, width?: number): string {
  return renderTable(
    [
      { header: "variant", min: 10 },
      "trials",
      "success [95% CI]",
      "pass@1",
      "infra",
      "avg AIU",
      "avg tokens",
      "avg time",
    ],
    summary.variants.map((v) => [
      v.name,
      v.n_trials,
      rateWithCi(v.success_rate, v.success_ci_low, v.success_ci_high),
      pct(v.pass_at_k["1"] ?? null),
      v.n_failed_trials || DASH,
      fixed(v.avg_aiu),
      compact(v.avg_total_tokens),
      seconds(v.avg_duration_s),
    ]),
    { width },
  );
}

/** Task × variant success counts (`2/3`). */
export function renderTaskMatrix(summary: RunSummary, width?: number): string {
  return renderTable(
    [
      { header: "task", min: 10 },
      ...summary.variants.map((v) => ({ header: v.name, align: "right" as const, min: 6 })),
    ],
    summary.tasks.map((t) => [
      t.name,
      ...summary.variants.map((v) => {
        const vt = v.tasks.find((x) => x.task === t.task);
        return vt && vt.n_graded > 0 ? `${vt.n_success}/${vt.n_graded}` : DASH;
      }),
    ]),
    { width },
  );
}

/** Cost columns per variant. */
export function renderCostTable(summary: RunSummary, width?: number): string {
  return renderTable(
    [
      { header: "variant", min: 10 },
      "total AIU",
      "AIU/solve",
      "AIU CV",
      "tokens CV",
      "cache read",
      "reasoning",
    ],
    summary.variants.map((v) => [
      v.name,
      fixed(v.total_aiu),
      fixed(v.aiu_per_solve),
      fixed(v.cv_aiu),
      fixed(v.cv_total_tokens),
      compact(v.avg_cache_read_tokens),
      compact(v.avg_reasoning_tokens),
    ]),
    { width },
  );
}
