/**
 * Significance tests for comparing two variants: Fisher's exact test on one task's 2×2 table
 * of passes and failures, and a sign-flip permutation test over per-task differences.
 */
import { mean } from "./descriptive.ts";
import { createRng } from "./rng.ts";

/** Relative tolerance for "as or less likely than observed" — the value R's fisher.test uses. */
const FISHER_RELATIVE_TOLERANCE = 1e-7;

/** ln(i!) for i = 0 … max, by cumulative sums of logs (exact enough for tables of any size here). */
function logFactorials(max: number): Float64Array {
  const table = new Float64Array(max + 1);
  for (let i = 2; i <= max; i++) table[i] = table[i - 1]! + Math.log(i);
  return table;
}

/**
 * Two-sided Fisher exact test for a 2×2 table [[a, b], [c, d]] (rows: variants, columns:
 * pass / fail). With the margins fixed, `a` is hypergeometric; the p-value sums the
 * probabilities of every table no more likely than the observed one, as R's `fisher.test`.
 */
export function fisherExactTwoSided(
  table: readonly [readonly [number, number], readonly [number, number]],
): number {
  const [[a, b], [c, d]] = table;
  for (const cell of [a, b, c, d]) {
    if (!Number.isInteger(cell) || cell < 0) throw new RangeError(`table cells must be counts, got ${cell}`);
  }
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const total = row1 + row2;
  const lf = logFactorials(total);
  const low = Math.max(0, col1 - row2);
  const high = Math.min(row1, col1);
  // ln C(row1, x) + ln C(row2, col1 − x), up to a constant; normalizing by the sum over the
  // support (rather than dividing by C(total, col1)) makes "every table counts" exactly 1.
  const logWeights: number[] = [];
  for (let x = low; x <= high; x++) {
    logWeights.push(-lf[x]! - lf[row1 - x]! - lf[col1 - x]! - lf[row2 - col1 + x]!);
  }
  const top = logWeights.reduce((max, w) => Math.max(max, w), Number.NEGATIVE_INFINITY);
  const weights = logWeights.map((w) => Math.exp(w - top));
  const limit = weights[a - low]! * (1 + FISHER_RELATIVE_TOLERANCE);
  let all = 0;
  let extreme = 0;
  for (const w of weights) {
    all += w;
    if (w <= limit) extreme += w;
  }
  return Math.min(1, extreme / all);
}

export interface SignFlipOptions {
  /** Enumerate all 2^n sign assignments up to this many differences (default 20, at most 30). */
  maxExact?: number;
  /** Random sign assignments drawn above `maxExact` (default 10,000). */
  samples?: number;
  /** Seed of the Monte Carlo draws (default 42). */
  seed?: number;
}

export interface SignFlipResult {
  /** Two-sided p-value for mean(diffs) = 0. */
  p: number;
  /** Whether every sign assignment was enumerated (false: Monte Carlo estimate). */
  exact: boolean;
  /** The observed mean difference (0 for no differences). */
  statistic: number;
}

/**
 * Two-sided sign-flip permutation test of mean(diffs) = 0 for paired differences (one per
 * task). Under the null each difference is as likely to have either sign, so the p-value is
 * the share of sign assignments whose |mean| is at least the observed |mean|. Zero differences
 * stay in: they count towards n but never change a sum.
 *
 * Up to `maxExact` differences every assignment is enumerated. Beyond that, `samples` random
 * assignments are drawn and the observed one is counted as one more (Phipson & Smyth 2010),
 * so a Monte Carlo p-value is never 0.
 */
export function signFlipPermutationTest(
  diffs: readonly number[],
  opts: SignFlipOptions = {},
): SignFlipResult {
  const { maxExact = 20, samples = 10_000, seed = 42 } = opts;
  if (!Number.isInteger(maxExact) || maxExact < 0 || maxExact > 30) {
    throw new RangeError(`maxExact must be an integer in [0, 30], got ${maxExact}`);
  }
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`samples must be ≥ 1, got ${samples}`);
  const n = diffs.length;
  if (n === 0) return { p: 1, exact: true, statistic: 0 };
  const statistic = mean(diffs)!;
  // Sums of the same values in another order differ in the last bits; ties must still count.
  // The tolerance is 1e-12 on the mean, scaled up for differences larger than 1.
  const scale = diffs.reduce((max, d) => Math.max(max, Math.abs(d)), 1);
  const threshold = Math.abs(statistic) * n - 1e-12 * scale * n;

  if (n <= maxExact) {
    const total = 2 ** n;
    let extreme = 0;
    for (let mask = 0; mask < total; mask++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += mask & (1 << j) ? -diffs[j]! : diffs[j]!;
      if (Math.abs(sum) >= threshold) extreme++;
    }
    return { p: extreme / total, exact: true, statistic };
  }

  const random = createRng(seed);
  let extreme = 1;
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (const d of diffs) sum += random() < 0.5 ? -d : d;
    if (Math.abs(sum) >= threshold) extreme++;
  }
  return { p: extreme / (samples + 1), exact: false, statistic };
}
