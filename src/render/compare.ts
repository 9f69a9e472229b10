import { compact, DASH, fixed, pct } from "../formats/numbers.ts";
import type { CompareResult, RatioComparison, SuccessCounts, VariantComparison } from "../results/compare.ts";
import { renderTable } from "./table.ts";

/** Terminal rendering of `compare` (plain data from src/results/compare.ts). */

export function formatP(p: number | null): string {
  if (p === null) return DASH;
  if (p < 0.001) return "<0.001";
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

/** A success-rate difference in percentage points: `+25pp`, `−100pp`. */
export function formatDiff(diff: number | null): string {
  if (diff === null) return DASH;
  const points = Math.round(diff * 100);
  return points === 0 ? "0pp" : `${points > 0 ? "+" : "−"}${Math.abs(points)}pp`;
}

const frac = (c: SuccessCounts) => (c.n_graded ? `${c.n_success}/${c.n_graded}` : DASH);

const METRIC_LABEL: Record<string, string> = {
  aiu: "AIU",
  total_tokens: "total tokens",
  output_tokens: "output tokens",
};

function ratioCell(r: RatioComparison): string {
  if (r.ratio === null) return DASH;
  const ci = r.low !== null && r.high !== null ? ` [${fixed(r.low)}–${fixed(r.high)}]` : "";
  return `${fixed(r.ratio)}×${ci}`;
}

const mean = (metric: string, v: number | null) =>
  metric === "aiu" ? fixed(v, 3) : compact(v === null ? null : Math.round(v));

const right = (header: string) => ({ header, align: "right" as const });

function testName(c: VariantComparison): string {
  const o = c.overall;
  if (o.test === "sign_flip")
    return `sign-flip permutation over ${o.n_tasks} tasks${o.exact ? ", exact" : ""}`;
  if (o.test === "fisher") return "Fisher exact, one task";
  return "no task graded on both sides";
}

function verdict(c: VariantComparison, alpha: number): string {
  const p = c.overall.p;
  if (p === null) return "verdict: no success comparison (no task graded on both sides)";
  if (c.regression)
    return `verdict: B is significantly WORSE than A in success (p = ${formatP(p)} < ${alpha})`;
  if (c.improvement)
    return `verdict: B is significantly better than A in success (p = ${formatP(p)} < ${alpha})`;
  return `verdict: no significant difference in success (p = ${formatP(p)} ≥ ${alpha})`;
}

export function renderComparison(c: VariantComparison, alpha: number, width?: number): string {
  const label = (s: VariantComparison["a"]) => `run ${s.run_id} · ${s.name} (${s.variant})`;
  const lines = [`A  ${label(c.a)}`, `B  ${label(c.b)}`, ""];
  const rows = c.tasks.map((t) => [t.name, frac(t.a), frac(t.b), formatDiff(t.diff), formatP(t.p)]);
  rows.push([
    "overall (mean per task)",
    pct(c.overall.a_rate),
    pct(c.overall.b_rate),
    formatDiff(c.overall.diff),
    formatP(c.overall.p),
  ]);
  lines.push(
    renderTable([{ header: "task", min: 12 }, ...["A", "B", "B − A", "p"].map(right)], rows, { width }),
  );
  lines.push(`  per task: Fisher exact; overall: ${testName(c)}`);
  if (c.only_a.length || c.only_b.length) {
    lines.push(
      `  not compared: ${[...c.only_a.map((t) => `${t} (A only)`), ...c.only_b.map((t) => `${t} (B only)`)].join(", ")}`,
    );
  }
  lines.push("");
  const ratios = [c.cost, ...c.tokens.filter((t) => t.metric !== c.cost.metric)];
  lines.push(
    renderTable(
      [{ header: "per trial", min: 10 }, ...["A mean", "B mean", "B / A [95% CI]"].map(right)],
      ratios.map((r) => [
        `${METRIC_LABEL[r.metric] ?? r.metric}${r === c.cost ? " (cost)" : ""}`,
        mean(r.metric, r.a_mean),
        mean(r.metric, r.b_mean),
        ratioCell(r),
      ]),
      { width },
    ),
  );
  if (c.cost.metric !== "aiu")
    lines.push("  cost in tokens: AIU not reported on both sides (BYOK or scripted)");
  lines.push("", verdict(c, alpha));
  return lines.join("\n");
}

export function renderCompare(result: CompareResult, width?: number): string {
  const header = `bootstrap: seed ${result.seed}, 95% percentile intervals; significance at p < ${result.alpha}`;
  return [...result.comparisons.map((c) => renderComparison(c, result.alpha, width)), header].join("\n\n");
}
