import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { RAN_STATUSES } from "../store/schema.ts";
import { pairVariants } from "./_compare-pairs.ts";
import {
  bootstrapRatioInterval,
  fisherExactTwoSided,
  mean,
  round,
  signFlipPermutationTest,
} from "./stats.ts";

/**
 * `compare` (SPEC 8): two variants — of one run or of two runs — side by side, as plain data.
 * Success is compared per shared task (Fisher's exact test on the 2×2 table of passes and
 * failures) and overall (an exact sign-flip permutation test over the per-task differences when
 * at least two tasks are shared; Fisher's exact test on the pooled trials for one). Cost and
 * tokens are compared as ratios B / A with a seeded percentile bootstrap interval. Differences
 * are always B − A: negative means B is worse.
 */

export const ALPHA = 0.05;

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
}

export interface OverallComparison {
  /** `sign_flip` over ≥ 2 tasks, `fisher` for one task, null when no task was graded on both sides. */
  test: "sign_flip" | "fisher" | null;
  /** Tasks graded on both sides (the tests' sample). */
  n_tasks: number;
  /** Mean per-task success rate over those tasks. */
  a_rate: number | null;
  b_rate: number | null;
  diff: number | null;
  p: number | null;
  /** Whether the p-value is exact (the permutation test falls back to Monte Carlo beyond 20 tasks). */
  exact: boolean;
}

export interface RatioComparison {
  metric: string;
  n_a: number;
  n_b: number;
  a_mean: number | null;
  b_mean: number | null;
  /** mean(B) / mean(A) with a seeded bootstrap 95% interval. */
  ratio: number | null;
  low: number | null;
  high: number | null;
}

export interface VariantComparison {
  a: CompareSide;
  b: CompareSide;
  shared_tasks: string[];
  only_a: string[];
  only_b: string[];
  tasks: TaskComparison[];
  overall: OverallComparison;
  /** AIU per trial; total tokens per trial when either side reports no AIU. */
  cost: RatioComparison;
  tokens: RatioComparison[];
  /** B is significantly worse (p < 0.05) in success. */
  regression: boolean;
  /** B is significantly better (p < 0.05) in success. */
  improvement: boolean;
}

export interface CompareOptions {
  seed?: number;
  iterations?: number;
}

export interface VariantRef {
  run: LoadedRun;
  variant: string;
}

const r4 = (v: number | null) => (v === null ? null : round(v, 4));
const ran = (t: TrialRecord) => RAN_STATUSES.includes(t.meta.status);
const graded = (t: TrialRecord) => ran(t) && t.meta.success !== null;

function counts(trials: readonly TrialRecord[]): SuccessCounts {
  const g = trials.filter(graded);
  const n_success = g.filter((t) => t.meta.success).length;
  return { n_graded: g.length, n_success, rate: g.length ? r4(n_success / g.length) : null };
}

const fisher = (a: SuccessCounts, b: SuccessCounts) =>
  fisherExactTwoSided([
    [a.n_success, a.n_graded - a.n_success],
    [b.n_success, b.n_graded - b.n_success],
  ]);

function values(trials: readonly TrialRecord[], key: string): number[] {
  return trials
    .filter(ran)
    .map((t) => t.metrics?.[key])
    .filter((v): v is number => typeof v === "number" && Number.isFinite(v));
}

function ratio(metric: string, a: number[], b: number[], opts: CompareOptions): RatioComparison {
  const interval = bootstrapRatioInterval(a, b, {
    seed: opts.seed ?? 42,
    iterations: opts.iterations ?? 2000,
  });
  return {
    metric,
    n_a: a.length,
    n_b: b.length,
    a_mean: r4(mean(a)),
    b_mean: r4(mean(b)),
    ratio: r4(interval.ratio),
    low: r4(interval.low),
    high: r4(interval.high),
  };
}

function side(ref: VariantRef): CompareSide {
  const v = ref.run.record.variants.find((x) => x.slug === ref.variant);
  return {
    run_id: ref.run.record.run_id,
    experiment: ref.run.record.experiment.slug,
    variant: ref.variant,
    name: v?.name ?? ref.variant,
  };
}

function overallTest(tasks: TaskComparison[]): OverallComparison {
  const both = tasks.filter((t) => t.diff !== null);
  const a_rate = r4(mean(both.map((t) => t.a.rate!)));
  const b_rate = r4(mean(both.map((t) => t.b.rate!)));
  const base = { n_tasks: both.length, a_rate, b_rate };
  if (both.length === 0) return { ...base, test: null, diff: null, p: null, exact: true };
  if (both.length === 1) {
    const t = both[0]!;
    return { ...base, test: "fisher", diff: t.diff, p: t.p, exact: true };
  }
  const result = signFlipPermutationTest(both.map((t) => t.b.rate! - t.a.rate!));
  return { ...base, test: "sign_flip", diff: r4(result.statistic), p: result.p, exact: result.exact };
}

/** Compare variant B with variant A (the baseline). */
export function compareVariants(
  refA: VariantRef,
  refB: VariantRef,
  opts: CompareOptions = {},
): VariantComparison {
  const mine = (ref: VariantRef) => ref.run.trials.filter((t) => t.meta.variant === ref.variant);
  const trialsA = mine(refA);
  const trialsB = mine(refB);
  const tasksA = refA.run.record.tasks.map((t) => t.slug);
  const tasksB = new Set(refB.run.record.tasks.map((t) => t.slug));
  const shared = tasksA.filter((t) => tasksB.has(t));
  const names = new Map(refA.run.record.tasks.map((t) => [t.slug, t.name]));
  const tasks: TaskComparison[] = shared.map((task) => {
    const a = counts(trialsA.filter((t) => t.meta.task === task));
    const b = counts(trialsB.filter((t) => t.meta.task === task));
    const both = a.n_graded > 0 && b.n_graded > 0;
    return {
      task,
      name: names.get(task) ?? task,
      a,
      b,
      diff: both ? r4(b.rate! - a.rate!) : null,
      p: both ? fisher(a, b) : null,
    };
  });
  const overall = overallTest(tasks);
  const onShared = (trials: TrialRecord[]) => trials.filter((t) => shared.includes(t.meta.task));
  const sharedA = onShared(trialsA);
  const sharedB = onShared(trialsB);
  const aiuA = values(sharedA, "aiu");
  const aiuB = values(sharedB, "aiu");
  const cost =
    aiuA.length > 0 && aiuB.length > 0
      ? ratio("aiu", aiuA, aiuB, opts)
      : ratio("total_tokens", values(sharedA, "total_tokens"), values(sharedB, "total_tokens"), opts);
  const tokens = ["total_tokens", "output_tokens"].map((k) =>
    ratio(k, values(sharedA, k), values(sharedB, k), opts),
  );
  const significant = overall.p !== null && overall.p < ALPHA;
  return {
    a: side(refA),
    b: side(refB),
    shared_tasks: shared,
    only_a: tasksA.filter((t) => !tasksB.has(t)),
    only_b: [...tasksB].filter((t) => !tasksA.includes(t)),
    tasks,
    overall,
    cost,
    tokens,
    regression: significant && overall.diff! < 0,
    improvement: significant && overall.diff! > 0,
  };
}

export interface CompareResult {
  alpha: number;
  seed: number;
  comparisons: VariantComparison[];
  /** Any comparison where B is significantly worse: the `--fail-on-regression` verdict. */
  regression: boolean;
}

export function compareRuns(
  runA: LoadedRun,
  runB: LoadedRun | null,
  opts: CompareOptions & { variants?: string[] } = {},
): CompareResult {
  const comparisons = pairVariants(runA, runB, opts.variants).map(([a, b]) => compareVariants(a, b, opts));
  return {
    alpha: ALPHA,
    seed: opts.seed ?? 42,
    comparisons,
    regression: comparisons.some((c) => c.regression),
  };
}
