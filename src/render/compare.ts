import type { CompareResult, SuccessCounts, VariantComparison } from "../compare/compare.ts";
import type { RatioComparison } from "../compare/costs.ts";
import { aiu, DASH, fixed, points as formatDiff, pValue as formatP, tokens } from "../formats/numbers.ts";
import { renderTable } from "./table.ts";
import { wrapLine } from "./wrap.ts";

/** Terminal rendering of `compare` (plain data from src/compare/); the only place figures are rounded. */

/** p-values and differences in points: the formats shared with the compare page (formats/numbers.ts). */
export { points as formatDiff, pValue as formatP } from "../formats/numbers.ts";

/** `−20pp [−43, +4]` */
function diffWithInterval(d: number | null, low: number | null, high: number | null): string {
  if (d === null) return DASH;
  const signed = (x: number) => {
    const points = Math.round(x * 100);
    return points === 0 ? "0" : `${points > 0 ? "+" : "−"}${Math.abs(points)}`;
  };
  return low === null || high === null ? formatDiff(d) : `${formatDiff(d)} [${signed(low)}, ${signed(high)}]`;
}

const frac = (c: SuccessCounts) => (c.n_graded ? `${c.n_success}/${c.n_graded}` : DASH);

const METRIC_LABEL: Record<string, string> = {
  aiu: "AIU",
  total_tokens: "total tokens",
  output_tokens: "output tokens",
};

function bound(value: number | null, kind: RatioComparison["low_kind"]): string {
  if (kind === "infinite") return "∞";
  if (kind === "undefined") return "undefined";
  return fixed(value);
}

function ratioCell(r: RatioComparison): string {
  if (r.ratio_kind !== "finite") return r.ratio_kind === "infinite" ? "∞ (A costs 0)" : DASH;
  if (r.low_kind === "undefined") return `${fixed(r.ratio)}× [undefined]`;
  return `${fixed(r.ratio)}× [${bound(r.low, r.low_kind)}–${bound(r.high, r.high_kind)}]`;
}

const mean = (metric: string, v: number | null) => (metric === "aiu" ? aiu(v) : tokens(v));

const right = (header: string) => ({ header, align: "right" as const });

function successLines(c: VariantComparison, width?: number): string[] {
  const s = c.success;
  const rows = c.tasks.map((t) => [
    t.name,
    frac(t.a),
    frac(t.b),
    formatDiff(t.diff),
    formatP(t.p),
    formatP(t.p_holm),
  ]);
  const pooled = (x: number, n: number) => (n ? `${x}/${n}` : DASH);
  const sumA = c.tasks.filter((t) => t.diff !== null).reduce((n, t) => n + t.a.n_success, 0);
  const sumB = c.tasks.filter((t) => t.diff !== null).reduce((n, t) => n + t.b.n_success, 0);
  rows.push([
    "all tasks",
    pooled(sumA, s.n_trials_a),
    pooled(sumB, s.n_trials_b),
    diffWithInterval(s.diff, s.diff_low, s.diff_high),
    formatP(s.p_two_sided),
    "",
  ]);
  const lines = [
    renderTable(
      [{ header: "task", min: 12, names: true }, ...["A", "B", "B − A", "p", "p Holm"].map(right)],
      rows,
      {
        width,
      },
    ),
  ];
  const wrap = (text: string) => wrapLine(text, { width, indent: 4 });
  lines.push(
    wrap(
      `  per task: Fisher's exact two-sided p; Holm-adjusted over ${c.tasks.filter((t) => t.p !== null).length} tasks`,
    ),
  );
  if (s.test !== null) {
    lines.push(
      wrap(`  all tasks: ${s.test_label}; B − A is the Mantel–Haenszel difference with a 95% score interval`),
    );
    lines.push(
      wrap(
        `  one-sided p: B worse ${formatP(s.p_worse)}, B better ${formatP(s.p_better)}; two-sided ${formatP(s.p_two_sided)}`,
      ),
    );
    const mdd = s.min_detectable_drop;
    const low = s.warnings.some((w) => w.code === "low_power") ? " (low power)" : "";
    const minP = s.min_attainable_p!;
    lines.push(
      wrap(
        `  80% power to flag a drop of ${mdd === null ? "(none up to A's rates)" : `${Math.ceil(mdd * 100)}pp or more`}${low}; smallest attainable p ${minP < 1e-4 ? minP.toExponential(0) : formatP(minP)}`,
      ),
    );
  }
  // low_power is the power line above; the rest are printed as they are.
  for (const w of s.warnings) if (w.code !== "low_power") lines.push(wrap(`  warning: ${w.message}`));
  if (c.only_a.length || c.only_b.length) {
    const names = [...c.only_a.map((t) => `${t} (A only)`), ...c.only_b.map((t) => `${t} (B only)`)];
    lines.push(wrap(`  not compared: ${names.join(", ")}`));
  }
  return lines;
}

export function renderComparison(c: VariantComparison, width?: number): string {
  const label = (s: VariantComparison["a"]) => `run ${s.run_id} · ${s.name} (${s.variant})`;
  const lines = [`A  ${label(c.a)}`, `B  ${label(c.b)}`, "", ...successLines(c, width), ""];
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
  lines.push("  means of per-task means; interval: bootstrap resampling trials within tasks");
  if (c.cost.metric !== "aiu")
    lines.push("  cost in tokens: AIU not reported on both sides (BYOK or scripted)");
  lines.push("", wrapLine(`gate: ${c.gate.words}${c.gate.fails ? " → FAIL" : ""}`, { width, indent: 6 }));
  return lines.join("\n");
}

export function renderCompare(result: CompareResult, width?: number): string {
  const mode =
    result.margin === null
      ? `α = ${result.alpha}, one-sided${result.comparisons.length > 1 ? `, Holm over ${result.comparisons.length} pairs` : ""}`
      : `α = ${result.alpha}, non-inferiority margin ${Math.round(result.margin * 100)}pp`;
  const footer = wrapLine(`${mode}; bootstrap and power simulation seeded with ${result.seed}`, { width });
  return [...result.comparisons.map((c) => renderComparison(c, width)), footer].join("\n\n");
}
