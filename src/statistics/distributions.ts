/**
 * The distributions the tests and intervals need: the standard normal and Student's t from
 * stdlib (ports of Cephes and Boost, accurate in the far tails), and the hypergeometric law of
 * one task's 2×2 table, computed here because the exact test needs the whole support at once.
 */
import normalCdfAt from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileAt from "@stdlib/stats-base-dists-normal-quantile";
import tQuantileAt from "@stdlib/stats-base-dists-t-quantile";

/** P(Z ≤ z) for a standard normal Z. */
export const normalCdf = (z: number): number => normalCdfAt(z, 0, 1);

/** P(Z ≥ z), accurate where 1 − Φ(z) would cancel to 0. */
export const normalUpper = (z: number): number => normalCdfAt(-z, 0, 1);

/** The z with P(Z ≤ z) = p. */
export const normalQuantile = (p: number): number => normalQuantileAt(p, 0, 1);

/** The t with P(T ≤ t) = p for Student's t with `df` degrees of freedom. */
export const tQuantile = (p: number, df: number): number => tQuantileAt(p, df);

/** A probability mass function on the integers low … low + pmf.length − 1. */
export interface Pmf {
  low: number;
  pmf: Float64Array;
}

/**
 * The law of B's successes in one task when its margins are fixed: `m` successes among
 * `nA + nB` trials, B holding `nB` of them, no difference between the variants. P(x) ∝
 * C(nB, x)·C(nA, m − x). Built by the ratio of neighbouring terms outward from the mode (where
 * the weight is 1, so nothing overflows) and normalised by the sum, so the masses add up to 1.
 */
export function hypergeometricPmf(nA: number, nB: number, m: number): Pmf {
  const low = Math.max(0, m - nA);
  const high = Math.min(nB, m);
  const size = high - low + 1;
  const weights = new Float64Array(size);
  const mode = Math.min(high, Math.max(low, Math.floor(((m + 1) * (nB + 1)) / (nA + nB + 2))));
  weights[mode - low] = 1;
  // w(x + 1) / w(x) = (nB − x)(m − x) / ((x + 1)(nA − m + x + 1))
  for (let x = mode; x < high; x++) {
    weights[x + 1 - low] = (weights[x - low]! * (nB - x) * (m - x)) / ((x + 1) * (nA - m + x + 1));
  }
  for (let x = mode; x > low; x--) {
    weights[x - 1 - low] = (weights[x - low]! * x * (nA - m + x)) / ((nB - x + 1) * (m - x + 1));
  }
  let sum = 0;
  for (const w of weights) sum += w;
  for (let i = 0; i < size; i++) weights[i] = weights[i]! / sum;
  return { low, pmf: weights };
}
