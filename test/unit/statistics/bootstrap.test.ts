import { describe, expect, test } from "bun:test";
import { bootstrapRatioInterval } from "../../../src/statistics/index.ts";

/** The stratified ratio bootstrap: point estimate, seeding, and bounds that are infinite or undefined. */

describe("bootstrapRatioInterval", () => {
  const a = [100, 120, 90, 110, 105, 95, 130, 80];
  const b = [150, 160, 140, 170, 130, 155, 165, 145];

  test("one task: the point estimate is mean(b) / mean(a) and lies inside the interval", () => {
    const result = bootstrapRatioInterval([{ a, b }]);
    expect(result.ratio).toBeCloseTo(1215 / 830, 12);
    expect(result.low!).toBeLessThan(result.ratio!);
    expect(result.high!).toBeGreaterThan(result.ratio!);
    expect([result.low_kind, result.high_kind]).toEqual(["finite", "finite"]);
  });

  test("several tasks: the ratio of task-averaged means, not of pooled trials", () => {
    // Task 1: A 1, B 2 (one trial each); task 2: A 10 ×3, B 10. Pooled trials would give
    // (2 + 10) / 2 ÷ (1 + 30) / 4 = 0.774; task means give (2 + 10) / (1 + 10) = 1.0909.
    const r = bootstrapRatioInterval([
      { a: [1], b: [2] },
      { a: [10, 10, 10], b: [10] },
    ]);
    expect(r.ratio).toBeCloseTo(12 / 11, 12);
    // Every resample keeps each task's values, so nothing varies.
    expect([r.low, r.high]).toEqual([r.ratio, r.ratio]);
  });

  test("deterministic for a seed; another seed moves the bounds", () => {
    const run = (seed?: number) => bootstrapRatioInterval([{ a, b }], seed === undefined ? {} : { seed });
    expect(run(1)).toEqual(run(1));
    expect([run(2).low, run(2).high]).not.toEqual([run(1).low, run(1).high]);
    expect(run()).toEqual(run(42));
  });

  test("width matches the normal approximation when only b varies", () => {
    // a is constant, so each resampled ratio is a binomial(100, 1/2) proportion: 0.5 ± 1.96 · 0.05.
    const ones = Array(100).fill(1);
    const coin = Array.from({ length: 100 }, (_, i) => i % 2);
    const result = bootstrapRatioInterval([{ a: ones, b: coin }], { iterations: 4000 });
    expect(result.ratio).toBe(0.5);
    expect(Math.abs(result.low! - 0.402)).toBeLessThan(0.02);
    expect(Math.abs(result.high! - 0.598)).toBeLessThan(0.02);
  });

  test("a higher level gives a wider interval", () => {
    const narrow = bootstrapRatioInterval([{ a, b }], { level: 0.8 });
    const wide = bootstrapRatioInterval([{ a, b }], { level: 0.99 });
    expect(wide.low!).toBeLessThan(narrow.low!);
    expect(wide.high!).toBeGreaterThan(narrow.high!);
  });

  test("A = [0, 0, 1], B = [1, 1, 1]: the upper bound is infinite, not dropped", () => {
    // mean(A*) = 0 with probability (2/3)³ = 29.6% > 2.5%, so the 97.5th percentile is +∞;
    // mean(A*) = 1 (ratio 1) has probability 1/27 = 3.7% > 2.5%, so the lower bound is 1.
    const r = bootstrapRatioInterval([{ a: [0, 0, 1], b: [1, 1, 1] }], { iterations: 4000 });
    expect(r.ratio).toBe(3);
    expect(r).toMatchObject({ low: 1, low_kind: "finite", high: null, high_kind: "infinite" });
    expect(Math.abs(r.n_infinite / 4000 - 8 / 27)).toBeLessThan(4 * Math.sqrt(((8 / 27) * (19 / 27)) / 4000));
  });

  test("0/0 resamples make the bounds undefined; a zero baseline makes the ratio infinite", () => {
    const r = bootstrapRatioInterval([{ a: [0, 1], b: [0, 1] }], { iterations: 500 });
    expect(r.ratio).toBe(1);
    expect(r.n_undefined).toBeGreaterThan(0);
    expect(r).toMatchObject({ low: null, high: null, low_kind: "undefined", high_kind: "undefined" });
    const zero = bootstrapRatioInterval([{ a: [0, 0], b: [1, 2] }]);
    expect(zero).toMatchObject({ ratio: null, ratio_kind: "infinite", high_kind: "infinite" });
  });

  test("no task with both sides: no data; negative costs and bad options throw", () => {
    const none = bootstrapRatioInterval([{ a: [], b }]);
    expect(none).toMatchObject({ ratio: null, ratio_kind: "no_data", low_kind: "no_data" });
    expect(() => bootstrapRatioInterval([{ a: [-1], b: [1] }])).toThrow(RangeError);
    expect(() => bootstrapRatioInterval([{ a, b }], { level: 1 })).toThrow(RangeError);
    expect(() => bootstrapRatioInterval([{ a, b }], { iterations: 0 })).toThrow(RangeError);
  });
});
