import { fisherExactTwoSided, holmAdjust, type Stratum } from "../statistics/index.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { RAN_STATUSES } from "../store/schema.ts";
import { compareCosts } from "./costs.ts";
import { decideGate } from "./gate.ts";
import { pairVariants, type VariantRef } from "./pairs.ts";
import type { CompareResult, CompareSide, SuccessCounts, VariantComparison } from "./result.ts";
import { compareSuccess } from "./success.ts";

/**
 * `compare`: variant B against variant A (the baseline), of one run or of two runs, as plain
 * data computed from raw counts (docs/statistics.md). Per task: Fisher's exact two-sided p,
 * Holm-adjusted over the tasks. Overall: the test stratified by task, the Mantel–Haenszel
 * difference with its interval, and the gate of `--fail-on-regression` (src/compare/gate.ts),
 * Holm-adjusted across pairs. Cost and tokens: ratios B / A with a stratified bootstrap.
 * Differences are always B − A: negative means B is worse.
 */

export type {
  CompareResult,
  CompareSide,
  SuccessCounts,
  TaskComparison,
  VariantComparison,
} from "./result.ts";

export const DEFAULT_ALPHA = 0.05;

export interface CompareOptions {
  seed?: number;
  iterations?: number;
  alpha?: number;
  /** Non-inferiority margin D: fail unless B is shown no worse than A − D. */
  margin?: number | null;
  variants?: string[];
}

const ran = (t: TrialRecord) => RAN_STATUSES.includes(t.meta.status);
const graded = (t: TrialRecord) => ran(t) && t.meta.success !== null;

function counts(trials: readonly TrialRecord[]): SuccessCounts {
  const g = trials.filter(graded);
  const n_success = g.filter((t) => t.meta.success).length;
  return { n_graded: g.length, n_success, rate: g.length ? n_success / g.length : null };
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

type Pair = Omit<VariantComparison, "gate" | "regression">;

function comparePair(
  refA: VariantRef,
  refB: VariantRef,
  o: Required<Omit<CompareOptions, "variants">>,
): Pair {
  const mine = (ref: VariantRef) => ref.run.trials.filter((t) => t.meta.variant === ref.variant);
  const trialsA = mine(refA);
  const trialsB = mine(refB);
  const tasksA = refA.run.record.tasks.map((t) => t.slug);
  const tasksB = new Set(refB.run.record.tasks.map((t) => t.slug));
  const shared = tasksA.filter((t) => tasksB.has(t));
  const names = new Map(refA.run.record.tasks.map((t) => [t.slug, t.name]));
  const byTask = shared.map((task) => ({
    task,
    a: trialsA.filter((t) => t.meta.task === task),
    b: trialsB.filter((t) => t.meta.task === task),
  }));
  const rows = byTask.map(({ task, a: ta, b: tb }) => {
    const a = counts(ta);
    const b = counts(tb);
    const both = a.n_graded > 0 && b.n_graded > 0;
    const p = both
      ? fisherExactTwoSided([
          [a.n_success, a.n_graded - a.n_success],
          [b.n_success, b.n_graded - b.n_success],
        ])
      : null;
    return { task, name: names.get(task) ?? task, a, b, diff: both ? b.rate! - a.rate! : null, p };
  });
  const holm = holmAdjust(rows.map((r) => r.p));
  const tasks = rows.map((r, i) => ({ ...r, p_holm: holm[i]! }));
  const strata: Stratum[] = tasks.map((t) => ({
    aSuccess: t.a.n_success,
    aTrials: t.a.n_graded,
    bSuccess: t.b.n_success,
    bTrials: t.b.n_graded,
  }));
  const dropped = tasks
    .filter((t) => t.diff === null && (t.a.n_graded > 0 || t.b.n_graded > 0))
    .map((t) => t.task);
  const success = compareSuccess(strata, dropped, { alpha: o.alpha, margin: o.margin, seed: o.seed });
  const { cost, tokens } = compareCosts(
    byTask.map(({ a, b }) => ({ a: a.filter(ran), b: b.filter(ran) })),
    { seed: o.seed, iterations: o.iterations },
  );
  return {
    a: side(refA),
    b: side(refB),
    shared_tasks: shared,
    only_a: tasksA.filter((t) => !tasksB.has(t)),
    only_b: [...tasksB].filter((t) => !tasksA.includes(t)),
    tasks,
    success,
    cost,
    tokens,
    improvement: success.p_better !== null && success.p_better <= o.alpha,
  };
}

/** Compare every pair `pairVariants` finds and decide the gate over all of them. */
export function compareRuns(
  runA: LoadedRun,
  runB: LoadedRun | null,
  opts: CompareOptions = {},
): CompareResult {
  const o = {
    seed: opts.seed ?? 42,
    iterations: opts.iterations ?? 2000,
    alpha: opts.alpha ?? DEFAULT_ALPHA,
    margin: opts.margin ?? null,
  };
  const pairs = pairVariants(runA, runB, opts.variants).map(([a, b]) => comparePair(a, b, o));
  const gates = decideGate(
    pairs.map((p) => p.success),
    { alpha: o.alpha, margin: o.margin },
  );
  const comparisons = pairs.map((p, i) => ({ ...p, gate: gates[i]!, regression: gates[i]!.fails }));
  return {
    ...o,
    correction: o.margin === null ? "holm" : "intersection_union",
    comparisons,
    regression: comparisons.some((c) => c.regression),
  };
}
