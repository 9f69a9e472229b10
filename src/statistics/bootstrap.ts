/**
 * Percentile bootstrap for the ratio of two means — "variant B costs 1.3× variant A" with an
 * interval. Seeded, so the same data always give the same interval.
 */
import { mean } from "./descriptive.ts";
import { createRng } from "./rng.ts";

export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  iterations?: number;
  /** PRNG seed (default 42). */
  seed?: number;
  /** Confidence level of the interval (default 0.95). */
  level?: number;
}

export interface RatioInterval {
  ratio: number | null;
  low: number | null;
  high: number | null;
}

/** Quantile of sorted values with linear interpolation between order statistics (R type 7). */
function quantileSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

function resampleMean(xs: readonly number[], random: () => number): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(random() * xs.length)]!;
  return sum / xs.length;
}

/**
 * mean(b) / mean(a) with a percentile bootstrap interval, resampling `a` and `b` independently
 * (they are separate trials, not pairs). All fields are null when either sample is empty or
 * mean(a) is 0. Resamples whose ratio is not finite (mean(a*) = 0) are left out of the
 * percentiles; if none remain, the bounds are null.
 */
export function bootstrapRatioInterval(
  a: readonly number[],
  b: readonly number[],
  opts: BootstrapOptions = {},
): RatioInterval {
  const { iterations = 2000, seed = 42, level = 0.95 } = opts;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`iterations must be ≥ 1, got ${iterations}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const meanA = mean(a);
  const meanB = mean(b);
  if (meanA === null || meanB === null || meanA === 0) return { ratio: null, low: null, high: null };

  const random = createRng(seed);
  const ratios: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const ratio = resampleMean(b, random) / resampleMean(a, random);
    if (Number.isFinite(ratio)) ratios.push(ratio);
  }
  if (ratios.length === 0) return { ratio: meanB / meanA, low: null, high: null };
  ratios.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return { ratio: meanB / meanA, low: quantileSorted(ratios, tail), high: quantileSorted(ratios, 1 - tail) };
}
