/**
 * Success proportions over trials: a confidence interval for the rate and the unbiased
 * pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained on Code".
 */

/** Two-sided 97.5th percentile of the standard normal: the z of a 95% interval. */
export const Z_95 = 1.959963984540054;

function assertCount(name: string, value: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
  }
}

/**
 * Wilson score interval for `successes` out of `n` (null for n = 0). Unlike the normal
 * approximation it stays inside [0, 1] and is sensible at 0/n and n/n, where the bound at the
 * edge is exactly 0 or 1.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): { low: number; high: number } | null {
  assertCount("n", n);
  assertCount("successes", successes, n);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Unbiased estimate of pass@k — the chance that at least one of k trials drawn without
 * replacement from n (of which c passed) passes: 1 − C(n−c, k) / C(n, k). Computed as
 * 1 − ∏_{i=n−c+1}^{n} (1 − k/i), which never forms a binomial coefficient. Null when k > n,
 * k < 1 or n = 0.
 */
export function passAtK(n: number, c: number, k: number): number | null {
  assertCount("n", n);
  assertCount("c", c, n);
  if (n === 0 || !Number.isInteger(k) || k < 1 || k > n) return null;
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/** pass@k for every k = 1 … n, keyed by k as a string (the shape of `pass_at_k` in summaries). */
export function passAtKCurve(n: number, c: number): Record<string, number> {
  const curve: Record<string, number> = {};
  for (let k = 1; k <= n; k++) curve[String(k)] = passAtK(n, c, k)!;
  return curve;
}
