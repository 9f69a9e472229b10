/**
 * The difference in success rate B − A over tasks: the Mantel–Haenszel risk difference (a
 * weighted mean of per-task differences, weight nA·nB / (nA + nB), so equal trial counts weigh
 * tasks equally) with a stratified Miettinen–Nurminen score interval, and the score test of a
 * non-inferiority margin. Score methods evaluate the variance under the hypothesis being
 * tested, so 10/10 vs 0/10 still gets an interval of non-zero width (docs/statistics.md).
 */
import { normalQuantile, normalUpper } from "./distributions.ts";
import type { Stratum } from "./stratified.ts";

export interface RiskDifference {
  /** Mantel–Haenszel estimate of B − A; null without a task graded on both sides. */
  estimate: number | null;
  low: number | null;
  high: number | null;
  level: number;
}

const usable = (strata: readonly Stratum[]) => strata.filter((s) => s.aTrials > 0 && s.bTrials > 0);
const weight = (s: Stratum) => (s.aTrials * s.bTrials) / (s.aTrials + s.bTrials);
const diff = (s: Stratum) => s.bSuccess / s.bTrials - s.aSuccess / s.aTrials;

/** Mantel–Haenszel risk difference Σ w·(p̂B − p̂A) / Σ w. */
export function mantelHaenszelDifference(strata: readonly Stratum[]): number | null {
  let num = 0;
  let den = 0;
  for (const s of usable(strata)) {
    num += weight(s) * diff(s);
    den += weight(s);
  }
  return den > 0 ? num / den : null;
}

/**
 * Maximum-likelihood rates of one task under pB − pA = delta (Miettinen & Nurminen 1985,
 * the closed-form root of their cubic).
 */
export function restrictedRates(s: Stratum, delta: number): { a: number; b: number } {
  const pB = s.bSuccess / s.bTrials;
  const pA = s.aSuccess / s.aTrials;
  const theta = s.aTrials / s.bTrials;
  const a = 1 + theta;
  const b = -(1 + theta + pB + theta * pA + delta * (theta + 2));
  const c = delta * delta + delta * (2 * pB + theta + 1) + pB + theta * pA;
  const d = -pB * delta * (1 + delta);
  const v = (b / (3 * a)) ** 3 - (b * c) / (6 * a * a) + d / (2 * a);
  const u = Math.sign(v) * Math.sqrt(Math.max(0, (b / (3 * a)) ** 2 - c / (3 * a)));
  const cosArg = u === 0 ? 0 : Math.max(-1, Math.min(1, v / u ** 3));
  const w = (Math.PI + Math.acos(cosArg)) / 3;
  const rb = Math.min(
    Math.min(1, 1 + delta),
    Math.max(Math.max(0, delta), 2 * u * Math.cos(w) - b / (3 * a)),
  );
  return { a: rb - delta, b: rb };
}

/**
 * The stratified score statistic Σ w·(d̂ − δ) / √(Σ w²·Ṽ(δ)), with Ṽ each task's variance of
 * p̂B − p̂A at its restricted rates, times N / (N − 1) as Miettinen–Nurminen. ±∞ when the
 * variance vanishes (δ = ±1) and the numerator does not.
 */
export function scoreStatistic(strata: readonly Stratum[], delta: number): number {
  let num = 0;
  let variance = 0;
  for (const s of usable(strata)) {
    const w = weight(s);
    const r = restrictedRates(s, delta);
    const n = s.aTrials + s.bTrials;
    const v = ((r.a * (1 - r.a)) / s.aTrials + (r.b * (1 - r.b)) / s.bTrials) * (n / (n - 1));
    num += w * (diff(s) - delta);
    variance += w * w * v;
  }
  if (variance <= 0) return num === 0 ? 0 : num > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return num / Math.sqrt(variance);
}

/** The δ in [from, to] where the decreasing `scoreStatistic` crosses `z`, by bisection. */
function crossing(strata: readonly Stratum[], z: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  for (let i = 0; i < 100 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (scoreStatistic(strata, mid) > z) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** MH estimate with the stratified Miettinen–Nurminen score interval at `level`. */
export function riskDifferenceInterval(strata: readonly Stratum[], level = 0.95): RiskDifference {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const estimate = mantelHaenszelDifference(strata);
  if (estimate === null) return { estimate: null, low: null, high: null, level };
  const z = normalQuantile(1 - (1 - level) / 2);
  const low = scoreStatistic(strata, -1) <= z ? -1 : crossing(strata, z, -1, estimate);
  const high = scoreStatistic(strata, 1) >= -z ? 1 : crossing(strata, -z, estimate, 1);
  return { estimate, low, high, level };
}

/**
 * One-sided score test of non-inferiority: H0 pB − pA ≤ −margin against pB − pA > −margin.
 * A small p shows B no worse than A − margin. Null without a task graded on both sides.
 */
export function nonInferiorityP(strata: readonly Stratum[], margin: number): number | null {
  if (!(margin > 0 && margin < 1)) throw new RangeError(`margin must be in (0, 1), got ${margin}`);
  if (usable(strata).length === 0) return null;
  return normalUpper(scoreStatistic(strata, -margin));
}
