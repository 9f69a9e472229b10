/**
 * Cost and token ratios B / A for `compare`: per task, the trials that ran on each side; the
 * ratio of task-averaged means with a stratified, seeded percentile bootstrap interval
 * (src/statistics/bootstrap.ts). Infinite and undefined bounds are kept and labelled.
 */

import { bootstrapRatioInterval, type CostStratum, mean } from "../statistics/index.ts";
import type { RatioComparison } from "./result.ts";

export type { RatioComparison } from "./result.ts";

import type { TrialRecord } from "../store/reader.ts";

export interface TaskTrials {
  a: readonly TrialRecord[];
  b: readonly TrialRecord[];
}

function values(trials: readonly TrialRecord[], key: string): number[] {
  return trials
    .map((t) => t.metrics?.[key])
    .filter((v): v is number => typeof v === "number" && Number.isFinite(v));
}

export function costStrata(tasks: readonly TaskTrials[], key: string): CostStratum[] {
  return tasks
    .map((t) => ({ a: values(t.a, key), b: values(t.b, key) }))
    .filter((s) => s.a.length > 0 && s.b.length > 0);
}

export function compareRatio(
  metric: string,
  strata: CostStratum[],
  opts: { seed: number; iterations: number },
): RatioComparison {
  const interval = bootstrapRatioInterval(strata, opts);
  const taskMean = (side: "a" | "b") => mean(strata.map((s) => mean(s[side])!));
  return {
    metric,
    n_a: strata.reduce((n, s) => n + s.a.length, 0),
    n_b: strata.reduce((n, s) => n + s.b.length, 0),
    a_mean: taskMean("a"),
    b_mean: taskMean("b"),
    ...interval,
  };
}

/** AIU per trial when both sides report it on a shared task; total tokens otherwise. */
export function compareCosts(tasks: readonly TaskTrials[], opts: { seed: number; iterations: number }) {
  const aiu = costStrata(tasks, "aiu");
  const cost =
    aiu.length > 0
      ? compareRatio("aiu", aiu, opts)
      : compareRatio("total_tokens", costStrata(tasks, "total_tokens"), opts);
  const tokens = ["total_tokens", "output_tokens"].map((k) => compareRatio(k, costStrata(tasks, k), opts));
  return { cost, tokens };
}
