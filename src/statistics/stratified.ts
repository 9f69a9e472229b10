/**
 * The overall success test of `compare`, at the trial level and stratified by task
 * (docs/statistics.md, docs/adr/0008-stratified-exact-test.md). Each task is a 2×2 table of
 * passes and failures for A and B. With every task's margins fixed, "no difference in any task"
 * makes B's successes in a task hypergeometric; B's total is the sum over tasks, whose law is the
 * convolution of those. That is the exact conditional test of a common odds ratio of 1 (R's
 * `mantelhaen.test(exact = TRUE)`), the same as permuting variant labels within tasks, and for
 * one task it is Fisher's exact test. Beyond a work budget the Cochran–Mantel–Haenszel normal
 * approximation with a continuity correction takes over.
 */
import { hypergeometricPmf, normalCdf, normalUpper } from "./distributions.ts";

/** One task: successes and graded trials of A (baseline) and B (candidate). */
export interface Stratum {
  aSuccess: number;
  aTrials: number;
  bSuccess: number;
  bTrials: number;
}

export interface StratifiedTestResult {
  test: "exact_conditional" | "cmh";
  /** One-sided: P(B's total successes ≤ observed) — evidence that B is worse. */
  pWorse: number;
  /** One-sided: P(B's total ≥ observed) — evidence that B is better. */
  pBetter: number;
  /** Two-sided: exact tests sum every total no more likely than the observed one (as Fisher). */
  pTwoSided: number;
  /** Strata that carried both sides (the others say nothing about a difference). */
  nStrata: number;
}

/** Relative tolerance for "as likely as observed", as R's fisher.test and mantelhaen.test. */
const TIE_TOLERANCE = 1e-7;

/** Multiply-adds the exact test may spend on one comparison before CMH takes over (~0.1 s). */
export const EXACT_BUDGET = 5e7;

const usable = (strata: readonly Stratum[]) => strata.filter((s) => s.aTrials > 0 && s.bTrials > 0);

function assertStratum(s: Stratum): void {
  for (const [name, v, max] of [
    ["aSuccess", s.aSuccess, s.aTrials],
    ["bSuccess", s.bSuccess, s.bTrials],
    ["aTrials", s.aTrials, Number.POSITIVE_INFINITY],
    ["bTrials", s.bTrials, Number.POSITIVE_INFINITY],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${name} must be a count, got ${v}`);
  }
}

/** Multiply-adds of the convolution over these strata (what `EXACT_BUDGET` bounds). */
export function exactCost(strata: readonly Stratum[]): number {
  let length = 1;
  let cost = 0;
  for (const s of usable(strata)) {
    const support = Math.min(s.bTrials, s.aTrials, s.aSuccess + s.bSuccess) + 1;
    cost += length * support;
    length += support - 1;
  }
  return cost;
}

/**
 * The conditional law of B's total successes, as a pmf on low … low + length − 1. With
 * `upTo`, entries above that total are never formed (enough for the lower tail, and cheaper).
 */
export function conditionalTotalPmf(strata: readonly Stratum[], upTo = Number.POSITIVE_INFINITY) {
  let dist = new Float64Array([1]);
  let low = 0;
  const all = usable(strata);
  const floor = all.reduce((sum, s) => sum + Math.max(0, s.aSuccess + s.bSuccess - s.aTrials), 0);
  const keep = upTo - floor; // the highest index (above the final low) that can matter
  for (const s of all) {
    const h = hypergeometricPmf(s.aTrials, s.bTrials, s.aSuccess + s.bSuccess);
    const length = Math.max(0, Math.min(dist.length + h.pmf.length - 1, keep + 1));
    const next = new Float64Array(length);
    for (let i = 0; i < dist.length && i < length; i++) {
      const d = dist[i]!;
      if (d === 0) continue;
      const end = Math.min(h.pmf.length, length - i);
      for (let j = 0; j < end; j++) next[i + j]! += d * h.pmf[j]!;
    }
    dist = next;
    low += h.low;
  }
  return { low, pmf: dist };
}

/** The exact conditional test (stratified Fisher). */
export function exactConditionalTest(strata: readonly Stratum[]): StratifiedTestResult {
  strata.forEach(assertStratum);
  const all = usable(strata);
  const observed = all.reduce((sum, s) => sum + s.bSuccess, 0);
  const { low, pmf } = conditionalTotalPmf(all);
  const at = observed - low;
  const limit = pmf[at]! * (1 + TIE_TOLERANCE);
  let worse = 0;
  let better = 0;
  let two = 0;
  for (let i = 0; i < pmf.length; i++) {
    const p = pmf[i]!;
    if (i <= at) worse += p;
    if (i >= at) better += p;
    if (p <= limit) two += p;
  }
  const clamp = (p: number) => Math.min(1, p);
  return {
    test: "exact_conditional",
    pWorse: clamp(worse),
    pBetter: clamp(better),
    pTwoSided: clamp(two),
    nStrata: all.length,
  };
}

/** Only the one-sided "B worse" p of the exact test, forming just the lower tail. */
export function exactConditionalPWorse(strata: readonly Stratum[]): number {
  const observed = usable(strata).reduce((sum, s) => sum + s.bSuccess, 0);
  const { pmf } = conditionalTotalPmf(strata, observed);
  let p = 0;
  for (const x of pmf) p += x;
  return Math.min(1, p);
}

/** B's total minus its expectation, and the variance, given every task's margins. */
function cmhMoments(strata: readonly Stratum[]): { delta: number; variance: number } {
  let delta = 0;
  let variance = 0;
  for (const s of usable(strata)) {
    const n = s.aTrials + s.bTrials;
    const m = s.aSuccess + s.bSuccess;
    delta += s.bSuccess - (s.bTrials * m) / n;
    if (n > 1) variance += (s.aTrials * s.bTrials * m * (n - m)) / (n * n * (n - 1));
  }
  return { delta, variance };
}

/**
 * Cochran–Mantel–Haenszel with a continuity correction of ½ on B's total: one-sided tails
 * Φ((Δ + ½)/σ) and 1 − Φ((Δ − ½)/σ); two-sided twice the smaller, at most 1.
 */
export function cmhTest(strata: readonly Stratum[]): StratifiedTestResult {
  strata.forEach(assertStratum);
  const nStrata = usable(strata).length;
  const { delta, variance } = cmhMoments(strata);
  if (variance === 0) return { test: "cmh", pWorse: 1, pBetter: 1, pTwoSided: 1, nStrata };
  const sd = Math.sqrt(variance);
  const pWorse = Math.min(1, normalCdf((delta + 0.5) / sd));
  const pBetter = Math.min(1, normalUpper((delta - 0.5) / sd));
  return { test: "cmh", pWorse, pBetter, pTwoSided: Math.min(1, 2 * Math.min(pWorse, pBetter)), nStrata };
}

/** The exact test when it fits `budget`, CMH beyond it. */
export function stratifiedTest(strata: readonly Stratum[], budget = EXACT_BUDGET): StratifiedTestResult {
  return exactCost(strata) <= budget ? exactConditionalTest(strata) : cmhTest(strata);
}

/** The one-sided "B worse" p of `stratifiedTest`, as cheaply as possible (for simulations). */
export function stratifiedPWorse(strata: readonly Stratum[], budget: number): number {
  return exactCost(strata) <= budget ? exactConditionalPWorse(strata) : cmhTest(strata).pWorse;
}

/**
 * The smallest one-sided p any outcome of this design could give the exact test: A passing
 * every trial and B failing every one, Π 1 / C(nA + nB, nB) over the tasks. Above alpha, no
 * result can be significant. Computed in logs; 0 only when it underflows.
 */
export function minAttainableP(strata: readonly Stratum[]): number {
  let log = 0;
  for (const s of usable(strata)) {
    for (let i = 1; i <= s.bTrials; i++) log += Math.log(i) - Math.log(s.aTrials + i);
  }
  return Math.exp(log);
}
