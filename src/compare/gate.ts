/**
 * The decision behind `compare --fail-on-regression` (docs/statistics.md, "The gate").
 *
 * Without a margin: a one-sided test that B is worse than A at α. Several pairs decide one exit
 * code, so their p-values are Holm-adjusted and the gate fails when any adjusted p ≤ α.
 * With `--margin D`: the gate fails unless B is shown no worse than A − D (a one-sided score
 * test per pair). Passing needs every pair shown non-inferior, an intersection–union test,
 * which keeps its level α without any adjustment (Berger 1982); p_adjusted equals p there.
 */
import { holmAdjust } from "../statistics/index.ts";
import type { Gate, SuccessComparison } from "./result.ts";

export type { Gate } from "./result.ts";

const fmt = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toPrecision(2));
const pp = (x: number) => `${Math.round(x * 100)}pp`;

export function decideGate(
  pairs: readonly SuccessComparison[],
  opts: { alpha: number; margin: number | null },
): Gate[] {
  const { alpha, margin } = opts;
  const n = pairs.length;
  if (margin === null) {
    const adjusted = holmAdjust(pairs.map((s) => s.p_worse));
    return pairs.map((s, i) => {
      const p = s.p_worse;
      const pa = adjusted[i]!;
      const base = {
        kind: "regression" as const,
        hypothesis: "B is as good as A on every task",
        p,
        p_adjusted: pa,
        n_pairs: n,
      };
      if (p === null) {
        return {
          ...base,
          decision: "no_data" as const,
          fails: false,
          words: "no task graded on both sides: nothing decided",
        };
      }
      const adj = n > 1 ? ` (Holm-adjusted over ${n} pairs)` : "";
      const fails = pa! <= alpha;
      return {
        ...base,
        decision: fails ? ("regression" as const) : ("no_regression" as const),
        fails,
        words: fails
          ? `B is worse than A: one-sided p = ${fmt(pa!)} ≤ α = ${alpha}${adj}`
          : `no evidence that B is worse than A: one-sided p = ${fmt(pa!)} > α = ${alpha}${adj}`,
      };
    });
  }
  return pairs.map((s) => {
    const p = s.p_non_inferiority;
    const base = {
      kind: "non_inferiority" as const,
      hypothesis: `B is worse than A by ${pp(margin)} or more`,
      p,
      p_adjusted: p,
      n_pairs: n,
    };
    if (p === null) {
      return {
        ...base,
        decision: "no_data" as const,
        fails: true,
        words: "no task graded on both sides: B is not shown non-inferior",
      };
    }
    const fails = p > alpha;
    return {
      ...base,
      decision: fails ? ("not_shown_non_inferior" as const) : ("non_inferior" as const),
      fails,
      words: fails
        ? `B is not shown to be within ${pp(margin)} of A: p = ${fmt(p)} > α = ${alpha}`
        : `B is shown no worse than A − ${pp(margin)}: p = ${fmt(p)} ≤ α = ${alpha}`,
    };
  });
}
