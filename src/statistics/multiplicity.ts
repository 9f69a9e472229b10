/**
 * Adjusted p-values for a family of tests. Null entries (no test) stay null and are not
 * counted in the family. Holm (1979) controls the family-wise error rate under any
 * dependence; Benjamini–Hochberg (1995) the false discovery rate for independent or positively
 * dependent tests.
 */

function present(ps: readonly (number | null)[]): { index: number; p: number }[] {
  const out: { index: number; p: number }[] = [];
  ps.forEach((p, index) => {
    if (p === null) return;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
    out.push({ index, p });
  });
  return out;
}

/** Holm's step-down adjusted p-values: max over j ≤ i of (m − j + 1)·p_(j), at most 1. */
export function holmAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const items = present(ps).sort((x, y) => x.p - y.p);
  const m = items.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  items.forEach(({ index, p }, i) => {
    running = Math.max(running, Math.min(1, (m - i) * p));
    out[index] = running;
  });
  return out;
}

/** Benjamini–Hochberg adjusted p-values (q-values): min over j ≥ i of m·p_(j) / j, at most 1. */
export function benjaminiHochbergAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const items = present(ps).sort((x, y) => x.p - y.p);
  const m = items.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 1;
  for (let i = m - 1; i >= 0; i--) {
    const { index, p } = items[i]!;
    running = Math.min(running, (m * p) / (i + 1));
    out[index] = running;
  }
  return out;
}
