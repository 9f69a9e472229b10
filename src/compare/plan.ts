/**
 * `plan`: how many trials per task a comparison needs to flag a given drop in success rate with
 * the gate of `compare --fail-on-regression`, and what those trials cost, before they are run.
 * Rates per task come from a baseline run's variant (or one rate for every task); the power is
 * simulated on the gate itself (src/statistics/power.ts). Plain data; the command renders it.
 */
import { UserError } from "../errors.ts";
import { mean, trialsForPower } from "../statistics/index.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { RAN_STATUSES } from "../store/schema.ts";
import { findVariant } from "./pairs.ts";

export interface PlanOptions {
  /** The drop in success rate to detect, in (0, 1). */
  detect: number;
  power?: number;
  alpha?: number;
  seed?: number;
  sims?: number;
}

export interface PlanTask {
  task: string;
  rate: number;
  n_graded: number;
}

export interface PlanCost {
  /** Means over the baseline variant's trials that ran; AIU null when none reported it (BYOK). */
  aiu_per_trial: number | null;
  tokens_per_trial: number | null;
  duration_s_per_trial: number | null;
  /** For `total_trials`: AIU, tokens, and wall time at the baseline run's concurrency. */
  total_aiu: number | null;
  total_tokens: number | null;
  wall_time_s: number | null;
  concurrency: number;
}

export interface PlanResult {
  detect: number;
  power_target: number;
  alpha: number;
  seed: number;
  baseline: { run_id: string; variant: string } | null;
  tasks: PlanTask[];
  /** Trials per task for each of the two variants; null when even 2,000 are not enough. */
  trials_per_task: number | null;
  /** Both variants: 2 × trials_per_task × tasks. */
  total_trials: number | null;
  /** Simulated power of the gate with that many trials, its Monte Carlo error and simulations. */
  power: number | null;
  power_se: number | null;
  sims: number;
  /** The normal approximation, for comparison. */
  analytic_power: number | null;
  cost: PlanCost | null;
  warnings: string[];
}

const ran = (t: TrialRecord) => RAN_STATUSES.includes(t.meta.status);
const metric = (trials: TrialRecord[], key: string) =>
  mean(
    trials
      .map((t) => t.metrics?.[key])
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v)),
  );

/** Per-task rates and cost per trial of one variant of a baseline run. */
export function baselineOf(run: LoadedRun, wanted?: string) {
  const slugs = run.record.variants.map((v) => v.slug);
  if (!wanted && slugs.length !== 1) {
    throw new UserError(`which variant of run ${run.record.run_id} is the baseline? it has ${slugs.length}`, {
      hint: `Pass --variant V; variants: ${slugs.join(", ")}`,
    });
  }
  const variant = wanted ? findVariant(run, wanted) : slugs[0]!;
  const trials = run.trials.filter((t) => t.meta.variant === variant);
  const tasks: PlanTask[] = [];
  for (const task of run.record.tasks) {
    const graded = trials.filter((t) => t.meta.task === task.slug && ran(t) && t.meta.success !== null);
    if (graded.length === 0) continue;
    tasks.push({
      task: task.slug,
      rate: graded.filter((t) => t.meta.success).length / graded.length,
      n_graded: graded.length,
    });
  }
  if (tasks.length === 0) {
    throw new UserError(
      `variant ${variant} of run ${run.record.run_id} has no graded trial to take rates from`,
      {
        hint: "Plan from a run whose tasks have a verify command, or give --rate R --tasks N.",
      },
    );
  }
  const done = trials.filter(ran);
  const per = {
    aiu_per_trial: metric(done, "aiu"),
    tokens_per_trial: metric(done, "total_tokens"),
    duration_s_per_trial: mean(
      done.map((t) => t.meta.duration_s).filter((v): v is number => typeof v === "number"),
    ),
  };
  return { run_id: run.record.run_id, variant, tasks, per, concurrency: run.record.options.concurrency };
}

/** Plan from a baseline run's variant, or from one rate shared by `tasks` tasks. */
export function planComparison(
  source: { run: LoadedRun; variant?: string } | { rate: number; tasks: number },
  opts: PlanOptions,
): PlanResult {
  const { detect, power = 0.8, alpha = 0.05, seed = 42, sims = 4000 } = opts;
  const base = "run" in source ? baselineOf(source.run, source.variant) : null;
  const tasks =
    "run" in source
      ? base!.tasks
      : Array.from({ length: source.tasks }, (_, i) => ({
          task: `task-${i + 1}`,
          rate: source.rate,
          n_graded: 0,
        }));
  const rates = tasks.map((t) => t.rate);
  const warnings: string[] = [];
  if (rates.every((r) => r === 0)) {
    throw new UserError("every task's baseline rate is 0: there is no drop to detect", {
      hint: "A variant that never succeeds cannot get worse; plan from a better baseline.",
    });
  }
  const below = tasks.filter((t) => t.rate < detect);
  if (below.length > 0) {
    warnings.push(
      `${below.length} of ${tasks.length} tasks have a baseline rate below the drop (${below.map((t) => t.task).join(", ")}): B cannot fall below 0 there, so they add little`,
    );
  }
  if (base && tasks.some((t) => t.n_graded < 5)) {
    warnings.push(
      "some baseline rates rest on fewer than 5 graded trials: the plan is only as good as those rates",
    );
  }
  const plan = trialsForPower(rates, detect, power, { alpha, seed, sims });
  if (plan === null) warnings.push("even 2000 trials per task do not reach the power asked for");
  const total = plan ? 2 * plan.trials_per_task * tasks.length : null;
  const times = (x: number | null) => (x === null || total === null ? null : x * total);
  const cost: PlanCost | null = base
    ? {
        ...base.per,
        total_aiu: times(base.per.aiu_per_trial),
        total_tokens: times(base.per.tokens_per_trial),
        wall_time_s: times(
          base.per.duration_s_per_trial === null ? null : base.per.duration_s_per_trial / base.concurrency,
        ),
        concurrency: base.concurrency,
      }
    : null;
  if (cost && cost.aiu_per_trial === null)
    warnings.push("the baseline reports no AIU (BYOK or scripted): cost in tokens only");
  return {
    detect,
    power_target: power,
    alpha,
    seed,
    baseline: base ? { run_id: base.run_id, variant: base.variant } : null,
    tasks,
    trials_per_task: plan?.trials_per_task ?? null,
    total_trials: total,
    power: plan?.power ?? null,
    power_se: plan?.se ?? null,
    sims,
    analytic_power: plan?.analytic_power ?? null,
    cost,
    warnings,
  };
}
