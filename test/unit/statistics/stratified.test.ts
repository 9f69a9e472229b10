import { describe, expect, test } from "bun:test";
import {
  clusterWilsonInterval,
  cmhTest,
  exactConditionalTest,
  exactCost,
  fisherExactTwoSided,
  minAttainableP,
  type Stratum,
  stratifiedTest,
  wilsonInterval,
} from "../../../src/statistics/index.ts";
import { stratifiedPWorse } from "../../../src/statistics/stratified.ts";

/** Hand-checked values of the stratified tests and the cluster interval; their edges. */

const s = (aSuccess: number, aTrials: number, bSuccess: number, bTrials: number): Stratum => ({
  aSuccess,
  aTrials,
  bSuccess,
  bTrials,
});
const ROUNDING = [
  [0, 0],
  [2, 1],
  [2, 1],
  [3, 3],
  [2, 1],
  [2, 0],
  [2, 1],
  [2, 1],
  [0, 1],
  [2, 2],
].map(([a, b]) => s(a!, 3, b!, 3));

describe("stratified tests", () => {
  test("the rounding case: exact 0.0821, CMH with correction 0.084 (hand-checked values)", () => {
    expect(exactConditionalTest(ROUNDING).pWorse).toBeCloseTo(0.0821, 4);
    expect(cmhTest(ROUNDING).pWorse).toBeCloseTo(0.0844, 4);
  });

  test("one task: the exact test is Fisher's; its two-sided p is fisherExactTwoSided's", () => {
    for (const [a, nA, b, nB] of [
      [8, 10, 1, 10],
      [3, 4, 1, 5],
      [0, 1, 1, 7],
      [5, 5, 5, 5],
    ] as const) {
      const r = exactConditionalTest([s(a, nA, b, nB)]);
      expect(r.pTwoSided).toBeCloseTo(
        fisherExactTwoSided([
          [a, nA - a],
          [b, nB - b],
        ]),
        14,
      );
    }
  });

  test("tasks missing a side are ignored; degenerate tasks add nothing", () => {
    const base = exactConditionalTest(ROUNDING);
    const more = exactConditionalTest([...ROUNDING, s(2, 3, 0, 0), s(3, 3, 4, 4), s(0, 5, 0, 2)]);
    expect(more.pWorse).toBeCloseTo(base.pWorse, 14);
    expect(more.nStrata).toBe(12);
  });

  test("the lower tail alone equals the full computation", () => {
    expect(stratifiedPWorse(ROUNDING, 1e9)).toBeCloseTo(exactConditionalTest(ROUNDING).pWorse, 14);
    expect(stratifiedPWorse(ROUNDING, 0)).toBe(cmhTest(ROUNDING).pWorse);
  });

  test("beyond the budget CMH decides, and agrees closely with the exact test on a large design", () => {
    const big = Array.from({ length: 40 }, (_, k) => s(30 + (k % 7), 50, 27 + (k % 5), 50));
    expect(stratifiedTest(big, exactCost(big) - 1).test).toBe("cmh");
    expect(stratifiedTest(big).test).toBe("exact_conditional");
    expect(Math.abs(cmhTest(big).pWorse - exactConditionalTest(big).pWorse)).toBeLessThan(0.005);
  });

  test("smallest attainable p: Π 1 / C(nA + nB, nB)", () => {
    expect(minAttainableP([s(1, 1, 0, 1), s(1, 1, 0, 1)])).toBeCloseTo(1 / 4, 14);
    expect(minAttainableP([s(0, 2, 0, 3)])).toBeCloseTo(1 / 10, 14);
    expect(minAttainableP([s(1, 1, 0, 10)])).toBeCloseTo(1 / 11, 14);
  });

  test("counts that cannot be are rejected", () => {
    expect(() => exactConditionalTest([s(4, 3, 0, 3)])).toThrow(RangeError);
    expect(() => cmhTest([s(1, 3, -1, 3)])).toThrow(RangeError);
  });
});

describe("clusterWilsonInterval", () => {
  test("never narrower than the pooled Wilson interval; wider when tasks differ", () => {
    const same = clusterWilsonInterval([
      { successes: 5, n: 10 },
      { successes: 5, n: 10 },
      { successes: 5, n: 10 },
    ])!;
    expect(same.design_effect).toBe(1);
    const pooled = wilsonInterval(15, 30)!;
    // Same effective n, but t on 2 degrees of freedom is wider than z.
    expect(same.low).toBeLessThan(pooled.low);
    const split = clusterWilsonInterval([
      { successes: 10, n: 10 },
      { successes: 0, n: 10 },
      { successes: 5, n: 10 },
    ])!;
    expect(split.design_effect).toBeGreaterThan(5);
    expect(split.high - split.low).toBeGreaterThan(same.high - same.low);
  });

  test("null below two tasks with graded trials; exact edges at 0/n and n/n", () => {
    expect(clusterWilsonInterval([{ successes: 3, n: 4 }])).toBeNull();
    expect(
      clusterWilsonInterval([
        { successes: 3, n: 4 },
        { successes: 0, n: 0 },
      ]),
    ).toBeNull();
    const all = clusterWilsonInterval([
      { successes: 4, n: 4 },
      { successes: 2, n: 2 },
    ])!;
    expect(all.high).toBe(1);
    expect(all.low).toBeGreaterThan(0);
    const none = clusterWilsonInterval([
      { successes: 0, n: 4 },
      { successes: 0, n: 2 },
    ])!;
    expect(none.low).toBe(0);
    expect(() =>
      clusterWilsonInterval([
        { successes: 5, n: 4 },
        { successes: 0, n: 1 },
      ]),
    ).toThrow(RangeError);
  });
});
