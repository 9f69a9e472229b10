/**
 * The result of `compare` as plain data (types only): what `compare --json` prints and the
 * compare page of `compare --html` draws (the page's client imports these types, so this file
 * imports nothing that needs a runtime).
 */
import type { RatioInterval } from "../statistics/bootstrap.ts";

export interface Warning {
  code:
    | "cannot_reach_alpha"
    | "non_inferiority_unreachable"
    | "unbalanced_trials"
    | "tasks_without_both_sides"
    | "large_sample_test"
    | "low_power"
    | "no_shared_tasks";
  message: string;
}

export interface SuccessComparison {
  test: "exact_conditional" | "cmh" | null;
  /** The test in words, e.g. "exact conditional test stratified by 10 tasks". */
  test_label: string;
  /** Tasks graded on both sides: the test's strata. */
  n_tasks: number;
  n_trials_a: number;
  n_trials_b: number;
  /** Pooled rates Σ successes / Σ graded trials over those tasks. */
  a_rate: number | null;
  b_rate: number | null;
  /** B − A: Mantel–Haenszel risk difference with a 95% stratified score interval. */
  diff: number | null;
  diff_low: number | null;
  diff_high: number | null;
  /** One-sided p that B is worse (the regression gate's p), that B is better; two-sided p. */
  p_worse: number | null;
  p_better: number | null;
  p_two_sided: number | null;
  /** One-sided p of "B is worse than A − margin" (small: B is shown non-inferior); with --margin. */
  p_non_inferiority: number | null;
  /** Smallest one-sided p any outcome of this design could reach in the exact test. */
  min_attainable_p: number | null;
  /** Largest ratio of trial counts between the sides on one task. */
  max_trial_ratio: number | null;
  /** Smallest common drop in success rate flagged with 80% power (simulated); null if none. */
  min_detectable_drop: number | null;
  min_detectable_drop_power: number | null;
  /** How that drop was found: simulated on the gate (small designs) or a normal approximation. */
  min_detectable_drop_method: "simulated" | "normal_approximation" | null;
  warnings: Warning[];
}

export interface Gate {
  kind: "regression" | "non_inferiority";
  /** The null hypothesis the p-value is computed under. */
  hypothesis: string;
  p: number | null;
  p_adjusted: number | null;
  n_pairs: number;
  decision: "regression" | "no_regression" | "non_inferior" | "not_shown_non_inferior" | "no_data";
  /** Whether this pair makes `--fail-on-regression` exit 1. */
  fails: boolean;
  /** The decision in words. */
  words: string;
}

export interface RatioComparison extends RatioInterval {
  metric: string;
  /** Trials with a value, over the tasks both sides have values for. */
  n_a: number;
  n_b: number;
  /** Mean over those tasks of the per-task mean. */
  a_mean: number | null;
  b_mean: number | null;
}

export interface CompareSide {
  run_id: string;
  experiment: string;
  variant: string;
  name: string;
}

export interface SuccessCounts {
  n_graded: number;
  n_success: number;
  rate: number | null;
}

export interface TaskComparison {
  task: string;
  name: string;
  a: SuccessCounts;
  b: SuccessCounts;
  /** b.rate − a.rate; null when either side has no graded trial. */
  diff: number | null;
  /** Fisher's exact two-sided p; null when either side has no graded trial. */
  p: number | null;
  /** `p` Holm-adjusted over this pair's tasks. */
  p_holm: number | null;
}

export interface VariantComparison {
  a: CompareSide;
  b: CompareSide;
  shared_tasks: string[];
  only_a: string[];
  only_b: string[];
  tasks: TaskComparison[];
  success: SuccessComparison;
  gate: Gate;
  /** AIU per trial; total tokens per trial when no shared task has AIU on both sides. */
  cost: RatioComparison;
  tokens: RatioComparison[];
  /** The gate found B worse (regression test) or could not show it within the margin. */
  regression: boolean;
  /** B better at α, one-sided, unadjusted: for information, never part of the gate. */
  improvement: boolean;
}

export interface CompareResult {
  alpha: number;
  margin: number | null;
  seed: number;
  iterations: number;
  /** How the pairs' p-values were combined for the exit code. */
  correction: "holm" | "intersection_union";
  comparisons: VariantComparison[];
  /** `--fail-on-regression` exits 1 when this is true. */
  regression: boolean;
}
