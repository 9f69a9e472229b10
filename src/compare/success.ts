/**
 * The success half of `compare` for one pair, from raw counts per task: the stratified test,
 * the estimated difference with its interval, what the design can and cannot show, and the
 * warnings that go with it (docs/statistics.md). No rounding here: rendering rounds.
 */
import {
  minAttainableP,
  minimumDetectableDrop,
  nonInferiorityP,
  riskDifferenceInterval,
  type Stratum,
  stratifiedTest,
} from "../statistics/index.ts";
import type { SuccessComparison, Warning } from "./result.ts";

export type { SuccessComparison, Warning } from "./result.ts";

export interface SuccessOptions {
  alpha: number;
  /** Non-inferiority margin D in (0, 1), or null for the regression test. */
  margin: number | null;
  seed: number;
  /** Simulated experiments per power figure of the minimum detectable drop. */
  powerSims?: number;
}

/** Per-task imbalance above which the output warns. */
export const IMBALANCE_WARNING = 4;
/** Minimum detectable drop above which the output calls the comparison low-powered. */
export const LOW_POWER_DROP = 0.2;

const pp = (x: number) => `${Math.round(x * 100)}pp`;

function testLabel(test: SuccessComparison["test"], n: number): string {
  if (test === null) return "no task graded on both sides";
  if (test === "cmh") return `Cochran–Mantel–Haenszel (continuity-corrected) stratified by ${n} tasks`;
  return n === 1 ? "Fisher's exact test (one task)" : `exact conditional test stratified by ${n} tasks`;
}

/** Compare success over tasks; `dropped` names shared tasks lacking graded trials on a side. */
export function compareSuccess(
  all: readonly Stratum[],
  dropped: string[],
  opts: SuccessOptions,
): SuccessComparison {
  const strata = all.filter((s) => s.aTrials > 0 && s.bTrials > 0);
  const warnings: Warning[] = [];
  if (dropped.length > 0) {
    warnings.push({
      code: "tasks_without_both_sides",
      message: `not tested (no graded trial on one side): ${dropped.join(", ")}`,
    });
  }
  const sum = (f: (s: Stratum) => number) => strata.reduce((total, s) => total + f(s), 0);
  const nA = sum((s) => s.aTrials);
  const nB = sum((s) => s.bTrials);
  if (strata.length === 0) {
    warnings.push({ code: "no_shared_tasks", message: "no task was graded on both sides: nothing to test" });
    return {
      test: null,
      test_label: testLabel(null, 0),
      n_tasks: 0,
      n_trials_a: 0,
      n_trials_b: 0,
      a_rate: null,
      b_rate: null,
      diff: null,
      diff_low: null,
      diff_high: null,
      p_worse: null,
      p_better: null,
      p_two_sided: null,
      p_non_inferiority: null,
      min_attainable_p: null,
      max_trial_ratio: null,
      min_detectable_drop: null,
      min_detectable_drop_power: null,
      min_detectable_drop_method: null,
      warnings,
    };
  }
  const tested = stratifiedTest(strata);
  const rd = riskDifferenceInterval(strata, 0.95);
  const minP = minAttainableP(strata);
  const ratio = Math.max(
    ...strata.map((s) => Math.max(s.aTrials, s.bTrials) / Math.min(s.aTrials, s.bTrials)),
  );
  const mdd = minimumDetectableDrop(
    {
      aTrials: strata.map((s) => s.aTrials),
      bTrials: strata.map((s) => s.bTrials),
      aRates: strata.map((s) => s.aSuccess / s.aTrials),
    },
    0.8,
    { alpha: opts.alpha, seed: opts.seed, sims: opts.powerSims ?? 500 },
  );
  if (tested.test === "cmh") {
    warnings.push({
      code: "large_sample_test",
      message: "too many trials for the exact test: the CMH normal approximation decided",
    });
  }
  if (opts.margin === null && minP > opts.alpha) {
    warnings.push({
      code: "cannot_reach_alpha",
      message: `this design cannot show a regression: the smallest attainable p is ${minP.toPrecision(2)} > α = ${opts.alpha}; run more trials per task (see \`plan\`)`,
    });
  }
  let pNonInferiority: number | null = null;
  if (opts.margin !== null) {
    pNonInferiority = nonInferiorityP(strata, opts.margin);
    // Identical, perfect results are the most favourable outcome without B being better.
    const best = strata.map((s) => ({ ...s, aSuccess: s.aTrials, bSuccess: s.bTrials }));
    const bestP = nonInferiorityP(best, opts.margin)!;
    if (bestP > opts.alpha) {
      warnings.push({
        code: "non_inferiority_unreachable",
        message: `this design cannot show B within ${pp(opts.margin)} of A: even if every trial passed on both sides, p would be ${bestP.toPrecision(2)} > α = ${opts.alpha}`,
      });
    }
  }
  if (ratio >= IMBALANCE_WARNING) {
    warnings.push({
      code: "unbalanced_trials",
      message: `trial counts are very unbalanced (up to ${Math.round(ratio * 10) / 10}:1 on a task): the test stays valid, but its power follows the smaller side`,
    });
  }
  if (mdd.drop === null || mdd.drop > LOW_POWER_DROP) {
    warnings.push({
      code: "low_power",
      message:
        mdd.drop === null
          ? "no drop in success rate would be flagged with 80% power by this design"
          : `only a drop of ${pp(mdd.drop)} or more would be flagged with 80% power`,
    });
  }
  return {
    test: tested.test,
    test_label: testLabel(tested.test, strata.length),
    n_tasks: strata.length,
    n_trials_a: nA,
    n_trials_b: nB,
    a_rate: sum((s) => s.aSuccess) / nA,
    b_rate: sum((s) => s.bSuccess) / nB,
    diff: rd.estimate,
    diff_low: rd.low,
    diff_high: rd.high,
    p_worse: tested.pWorse,
    p_better: tested.pBetter,
    p_two_sided: tested.pTwoSided,
    p_non_inferiority: pNonInferiority,
    min_attainable_p: minP,
    max_trial_ratio: ratio,
    min_detectable_drop: mdd.drop,
    min_detectable_drop_power: mdd.power,
    min_detectable_drop_method: mdd.method,
    warnings,
  };
}
