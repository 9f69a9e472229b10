/** Fisher's exact test on one task's 2×2 table of passes and failures (the per-task p of `compare`). */

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
