import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  benjaminiHochbergAdjust,
  bootstrapRatioInterval,
  clusterWilsonInterval,
  cmhTest,
  exactConditionalTest,
  holmAdjust,
  nonInferiorityP,
  riskDifferenceInterval,
  type Stratum,
  simulatePower,
  wilsonInterval,
} from "../../../src/statistics/index.ts";

/**
 * Every figure against test/fixtures/stats-reference.json, written by scripts/stats-reference.py
 * from scipy 1.10 and statsmodels 0.13 (see the script for how each value is computed there).
 * Exact and closed-form figures must match to 1e-9; simulated ones within their stated Monte
 * Carlo error.
 */

interface Reference {
  stratified: {
    strata: Stratum[];
    exact: { pWorse: number; pBetter: number; pTwoSided: number };
    cmh: { pWorse: number; pBetter: number; pTwoSidedStatsmodels: number | null };
    rd: { estimate: number; low: number; high: number };
    nonInferiorityP: Record<string, number>;
  }[];
  wilson: { successes: number; n: number; low: number; high: number }[];
  multiplicity: { p: number[]; holm: number[]; bh: number[] }[];
  cluster: {
    tasks: { successes: number; n: number }[];
    rate: number;
    low: number;
    high: number;
    design_effect: number;
    n_effective: number;
  }[];
  bootstrap: {
    strata: { a: number[]; b: number[] }[];
    ratio: number;
    iterations: number;
    band: Record<"0.025" | "0.975", [number, number]>;
  }[];
  power: { rates: number[]; drop: number; n: number; sims: number; power: number }[];
}

const REF: Reference = JSON.parse(
  readFileSync(join(import.meta.dir, "../../fixtures/stats-reference.json"), "utf8"),
);

/** |actual − expected| ≤ tol·max(1, |expected|): relative for large values, absolute near 0. */
function close(actual: number | null, expected: number, tol = 1e-9): number {
  expect(actual).not.toBeNull();
  const deviation = Math.abs(actual! - expected) / Math.max(1, Math.abs(expected));
  expect(deviation).toBeLessThanOrEqual(tol);
  return deviation;
}

describe("reference fixture (scipy / statsmodels)", () => {
  test("the fixture is broad: hundreds of stratified designs, every kind of figure", () => {
    expect(REF.stratified.length).toBeGreaterThanOrEqual(400);
    expect(REF.wilson.length).toBeGreaterThanOrEqual(30);
    expect(REF.multiplicity.length).toBeGreaterThanOrEqual(60);
    expect(REF.cluster.length).toBeGreaterThanOrEqual(80);
  });

  test("exact conditional test: one-sided and two-sided p to 1e-9 (scipy hypergeom, fisher_exact)", () => {
    let worst = 0;
    for (const c of REF.stratified) {
      const r = exactConditionalTest(c.strata);
      worst = Math.max(worst, close(r.pWorse, c.exact.pWorse), close(r.pBetter, c.exact.pBetter));
      worst = Math.max(worst, close(r.pTwoSided, c.exact.pTwoSided));
    }
    console.log(
      `exact conditional test: max deviation ${worst.toExponential(2)} over ${REF.stratified.length} designs`,
    );
  });

  test("CMH with continuity correction: one-sided tails and statsmodels' two-sided p to 1e-9", () => {
    let compared = 0;
    for (const c of REF.stratified) {
      const r = cmhTest(c.strata);
      close(r.pWorse, c.cmh.pWorse);
      close(r.pBetter, c.cmh.pBetter);
      if (c.cmh.pTwoSidedStatsmodels !== null) {
        close(r.pTwoSided, c.cmh.pTwoSidedStatsmodels);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  test("risk difference: MH estimate, stratified score interval and non-inferiority p to 1e-9", () => {
    let worst = 0;
    for (const c of REF.stratified) {
      const r = riskDifferenceInterval(c.strata);
      worst = Math.max(
        worst,
        close(r.estimate, c.rd.estimate),
        close(r.low, c.rd.low),
        close(r.high, c.rd.high),
      );
      for (const [margin, p] of Object.entries(c.nonInferiorityP)) {
        worst = Math.max(worst, close(nonInferiorityP(c.strata, Number(margin)), p));
      }
    }
    console.log(`risk difference and score tests: max deviation ${worst.toExponential(2)}`);
  });

  test("Wilson intervals match statsmodels' proportion_confint", () => {
    for (const c of REF.wilson) {
      const r = wilsonInterval(c.successes, c.n)!;
      close(r.low, c.low, 1e-12);
      close(r.high, c.high, 1e-12);
    }
  });

  test("Holm and Benjamini–Hochberg match statsmodels' multipletests", () => {
    for (const c of REF.multiplicity) {
      holmAdjust(c.p).forEach((p, i) => {
        close(p, c.holm[i]!, 1e-12);
      });
      benjaminiHochbergAdjust(c.p).forEach((p, i) => {
        close(p, c.bh[i]!, 1e-12);
      });
    }
  });

  test("cluster interval: statsmodels' cluster-robust variance, Wilson on the effective n", () => {
    for (const c of REF.cluster) {
      const r = clusterWilsonInterval(c.tasks)!;
      close(r.rate, c.rate, 1e-12);
      close(r.design_effect, c.design_effect, 1e-9);
      close(r.n_effective, c.n_effective, 1e-9);
      // stdlib's and scipy's t quantiles differ by ~4e-11 (relative).
      close(r.low, c.low, 1e-9);
      close(r.high, c.high, 1e-9);
    }
  });

  test("stratified bootstrap: the ratio exactly, bounds inside scipy's Monte Carlo band", () => {
    for (const c of REF.bootstrap) {
      const r = bootstrapRatioInterval(c.strata, { iterations: c.iterations, seed: 7 });
      close(r.ratio, c.ratio, 1e-12);
      expect(r.low!).toBeGreaterThanOrEqual(c.band["0.025"][0]);
      expect(r.low!).toBeLessThanOrEqual(c.band["0.025"][1]);
      expect(r.high!).toBeGreaterThanOrEqual(c.band["0.975"][0]);
      expect(r.high!).toBeLessThanOrEqual(c.band["0.975"][1]);
    }
  });

  test("simulated power of the gate agrees with scipy's simulation within 2 percentage points", () => {
    for (const c of REF.power) {
      const design = { aRates: c.rates, aTrials: c.rates.map(() => c.n), bTrials: c.rates.map(() => c.n) };
      const mine = simulatePower(design, c.drop, { sims: 4000, seed: 11 });
      console.log(
        `power ${c.rates.length} tasks × ${c.n}, drop ${c.drop}: ${mine.power} vs reference ${c.power}`,
      );
      expect(Math.abs(mine.power - c.power)).toBeLessThanOrEqual(0.02);
    }
  }, 60_000); // 11 simulations of thousands of designs: CPU seconds, not a timing assertion
});
