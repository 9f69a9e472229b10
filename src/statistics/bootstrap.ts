/**
 * Percentile bootstrap for "B costs 1.3× A" with an interval. Trials are resampled within each
 * task and side (a stratified bootstrap), so the task mix of every resample is the observed one;
 * the ratio compares task-averaged means. A resample whose A mean is 0 has an infinite ratio
 * (or an undefined one, 0/0): it is counted, never dropped, and a bound that falls on it is
 * reported as infinite or undefined. Seeded, so the same data always give the same interval.
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

/** A figure that may be a number, infinite, undefined (0/0) or missing (no data). */
export type BoundKind = "finite" | "infinite" | "undefined" | "no_data";

export interface RatioInterval {
  /** Finite values only; see the kinds for the rest. */
  ratio: number | null;
  low: number | null;
  high: number | null;
  ratio_kind: BoundKind;
  low_kind: BoundKind;
  high_kind: BoundKind;
  /** Resamples whose ratio was infinite / undefined. */
  n_infinite: number;
  n_undefined: number;
  iterations: number;
}

/** Costs of one task: A's and B's trials. */
export interface CostStratum {
  a: readonly number[];
  b: readonly number[];
}

function kindOf(x: number): BoundKind {
  return Number.isNaN(x) ? "undefined" : Number.isFinite(x) ? "finite" : "infinite";
}

/** Quantile of sorted values (R type 7); an infinite neighbour makes it infinite. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  if (fraction === 0 || sorted[above] === sorted[below]) return sorted[below]!;
  if (!Number.isFinite(sorted[above]!)) return sorted[above]!;
  return sorted[below]! + fraction * (sorted[above]! - sorted[below]!);
}

function resampleMean(xs: readonly number[], random: () => number): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(random() * xs.length)]!;
  return sum / xs.length;
}

const NO_DATA: Omit<RatioInterval, "iterations"> = {
  ratio: null,
  low: null,
  high: null,
  ratio_kind: "no_data",
  low_kind: "no_data",
  high_kind: "no_data",
  n_infinite: 0,
  n_undefined: 0,
};

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * mean over tasks of mean(B) divided by mean over tasks of mean(A), with a stratified percentile
 * bootstrap interval. Tasks missing a side are left out. Values must be ≥ 0 (costs). Any
 * undefined (0/0) resample makes both bounds undefined: there is no place to sort it.
 */
export function bootstrapRatioInterval(
  strata: readonly CostStratum[],
  opts: BootstrapOptions = {},
): RatioInterval {
  const { iterations = 2000, seed = 42, level = 0.95 } = opts;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`iterations must be ≥ 1, got ${iterations}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const used = strata.filter((s) => s.a.length > 0 && s.b.length > 0);
  for (const s of used) {
    for (const x of [...s.a, ...s.b])
      if (!(x >= 0 && Number.isFinite(x))) throw new RangeError(`costs must be finite and ≥ 0, got ${x}`);
  }
  if (used.length === 0) return { ...NO_DATA, iterations };
  const point = mean(used.map((s) => mean(s.b)!))! / mean(used.map((s) => mean(s.a)!))!;

  const random = createRng(seed);
  const ratios = new Float64Array(iterations);
  let nInfinite = 0;
  let nUndefined = 0;
  for (let i = 0; i < iterations; i++) {
    let sumA = 0;
    let sumB = 0;
    for (const s of used) {
      sumB += resampleMean(s.b, random);
      sumA += resampleMean(s.a, random);
    }
    const r = sumB / sumA;
    if (Number.isNaN(r)) nUndefined++;
    else if (!Number.isFinite(r)) nInfinite++;
    ratios[i] = r;
  }
  const base = {
    ratio: finiteOrNull(point),
    ratio_kind: kindOf(point),
    n_infinite: nInfinite,
    n_undefined: nUndefined,
    iterations,
  };
  if (nUndefined > 0)
    return { ...base, low: null, high: null, low_kind: "undefined", high_kind: "undefined" };
  ratios.sort();
  const tail = (1 - level) / 2;
  const low = quantileSorted(ratios, tail);
  const high = quantileSorted(ratios, 1 - tail);
  return {
    ...base,
    low: finiteOrNull(low),
    high: finiteOrNull(high),
    low_kind: kindOf(low),
    high_kind: kindOf(high),
  };
}
