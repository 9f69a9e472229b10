/**
 * Descriptive statistics for metric columns (tokens, AIU, durations). Every function returns
 * `null` where the quantity is undefined, never NaN, so results serialize cleanly to JSON.
 */

/** Arithmetic mean; null for an empty sample. */
export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample standard deviation (divisor n − 1); null for fewer than two values. */
export function sampleSd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  // Two passes over values shifted by the first one: stable for large offsets (token counts),
  // and a constant sample gives exactly 0 (mean([0.1, 0.1, 0.1]) itself is not exactly 0.1).
  const shift = xs[0]!;
  let sum = 0;
  for (const x of xs) sum += x - shift;
  const m = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - shift - m) ** 2;
  return Math.sqrt(squares / (xs.length - 1));
}

/** Coefficient of variation sd / mean; null when the sd is undefined or the mean is 0. */
export function coefficientOfVariation(xs: readonly number[]): number | null {
  const sd = sampleSd(xs);
  const m = mean(xs);
  if (sd === null || m === null || m === 0) return null;
  return sd / m;
}

/**
 * `x` rounded half away from zero to `digits` decimals; null passes through. A nudge of one
 * ulp makes decimal ties that binary cannot represent round as written (1.005 → 1.01).
 */
export function round(x: number, digits?: number): number;
export function round(x: number | null, digits?: number): number | null;
export function round(x: number | null, digits = 4): number | null {
  if (x === null || !Number.isFinite(x)) return x;
  const factor = 10 ** digits;
  const scaled = Math.abs(x) * factor;
  const rounded = Math.round(scaled * (1 + Number.EPSILON)) / factor;
  return rounded === 0 ? 0 : Math.sign(x) * rounded;
}
