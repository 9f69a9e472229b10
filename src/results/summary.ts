import { FORMAT_VERSION } from "./layout.ts";
import type { LoadedRun, TrialRecord } from "./read-run.ts";
import { INFRA_STATUSES, RAN_STATUSES, TRIAL_STATUSES, type TrialStatus } from "./schema.ts";
import { coefficientOfVariation, mean, passAtKCurve, round, sampleSd, wilsonInterval } from "./stats.ts";

/**
 * summary.json (SPEC 8): per run, per variant and per (variant, task). Success rates are over
 * trials that ran (ok, timeout) and were graded; infrastructure failures are counted beside
 * them, never as unsolved. Averages are over trials that ran; cost totals include every trial
 * that reported usage (a failed trial still spent it).
 */

export interface GroupSummary {
  n_trials: number;
  n_ran: number;
  n_graded: number;
  n_success: number;
  /** Infrastructure failures: copilot_failed + harness_error. */
  n_failed_trials: number;
  status_counts: Record<TrialStatus, number>;
  success_rate: number | null;
  success_ci_low: number | null;
  success_ci_high: number | null;
  pass_at_k: Record<string, number>;
  mean_resolved_rate: number | null;
  resolved_at_k_rate: number | null;
  n_flaky_verify: number;
  avg_duration_s: number | null;
  avg_turns: number | null;
  avg_tool_calls: number | null;
  avg_tool_failures: number | null;
  avg_total_tokens: number | null;
  sd_total_tokens: number | null;
  cv_total_tokens: number | null;
  total_tokens: number | null;
  avg_output_tokens: number | null;
  avg_cache_read_tokens: number | null;
  total_cache_read_tokens: number | null;
  avg_reasoning_tokens: number | null;
  avg_aiu: number | null;
  sd_aiu: number | null;
  cv_aiu: number | null;
  total_aiu: number | null;
  aiu_per_solve: number | null;
  /** Trials whose cost is known (BYOK sessions report none). */
  n_aiu_known: number;
  avg_api_duration_ms: number | null;
  avg_diff_files: number | null;
  avg_diff_lines_added: number | null;
  avg_diff_lines_removed: number | null;
  avg_files_modified: number | null;
  avg_lines_added: number | null;
  avg_lines_removed: number | null;
}

export interface TaskSummary extends GroupSummary {
  task: string;
  name: string;
}

export interface VariantSummary extends GroupSummary {
  variant: string;
  name: string;
  tasks: TaskSummary[];
}

export interface RunSummary {
  format_version: number;
  run_id: string;
  experiment: string;
  experiment_name: string;
  status: string;
  generated_at: string;
  overall: GroupSummary;
  variants: VariantSummary[];
  /** Per task across all variants. */
  tasks: TaskSummary[];
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const r4 = (v: number | null) => (v === null ? null : round(v, 4));

function metric(trials: readonly TrialRecord[], key: string): number[] {
  return trials.map((t) => num(t.metrics?.[key])).filter((v): v is number => v !== null);
}

const avg = (trials: readonly TrialRecord[], key: string) => r4(mean(metric(trials, key)));
const total = (trials: readonly TrialRecord[], key: string) => {
  const values = metric(trials, key);
  return values.length ? r4(values.reduce((a, b) => a + b, 0)) : null;
};

/** Trials grouped by task, in first-seen order. */
function byTask(trials: readonly TrialRecord[]): Map<string, TrialRecord[]> {
  const groups = new Map<string, TrialRecord[]>();
  for (const t of trials) groups.set(t.meta.task, [...(groups.get(t.meta.task) ?? []), t]);
  return groups;
}

function graded(trials: readonly TrialRecord[]): TrialRecord[] {
  return trials.filter((t) => RAN_STATUSES.includes(t.meta.status) && t.meta.success !== null);
}

/** pass@k averaged over tasks, for k up to the smallest number of graded trials of a task. */
function meanPassAtK(perTask: TrialRecord[][]): Record<string, number> {
  const curves = perTask
    .map((ts) => graded(ts))
    .filter((g) => g.length > 0)
    .map((g) => passAtKCurve(g.length, g.filter((t) => t.meta.success).length));
  if (curves.length === 0) return {};
  const kMax = Math.min(...curves.map((c) => Object.keys(c).length));
  const out: Record<string, number> = {};
  for (let k = 1; k <= kMax; k++) out[String(k)] = round(mean(curves.map((c) => c[String(k)]!))!, 4);
  return out;
}

export function summarizeGroup(trials: readonly TrialRecord[]): GroupSummary {
  const ran = trials.filter((t) => RAN_STATUSES.includes(t.meta.status));
  const g = graded(trials);
  const successes = g.filter((t) => t.meta.success).length;
  const ci = wilsonInterval(successes, g.length);
  const status_counts = Object.fromEntries(
    TRIAL_STATUSES.map((s) => [s, trials.filter((t) => t.meta.status === s).length]),
  ) as Record<TrialStatus, number>;
  const tasks = [...byTask(trials).values()];
  const taskRates = tasks
    .map((ts) => graded(ts))
    .filter((ts) => ts.length > 0)
    .map((ts) => ts.filter((t) => t.meta.success).length / ts.length);
  const tokens = metric(ran, "total_tokens");
  const aiu = metric(ran, "aiu");
  const totalAiu = total(trials, "aiu");
  return {
    n_trials: trials.length,
    n_ran: ran.length,
    n_graded: g.length,
    n_success: successes,
    n_failed_trials: trials.filter((t) => INFRA_STATUSES.includes(t.meta.status)).length,
    status_counts,
    success_rate: g.length ? r4(successes / g.length) : null,
    success_ci_low: ci ? r4(ci.low) : null,
    success_ci_high: ci ? r4(ci.high) : null,
    pass_at_k: meanPassAtK(tasks),
    mean_resolved_rate: r4(mean(taskRates)),
    resolved_at_k_rate: taskRates.length
      ? r4(
          tasks.filter((ts) => graded(ts).some((t) => t.meta.success)).length /
            tasks.filter((ts) => graded(ts).length > 0).length,
        )
      : null,
    n_flaky_verify: trials.filter((t) => t.meta.flaky_verify).length,
    avg_duration_s: r4(mean(ran.map((t) => t.meta.duration_s))),
    avg_turns: avg(ran, "n_turns"),
    avg_tool_calls: avg(ran, "n_tool_calls"),
    avg_tool_failures: avg(ran, "n_tool_failures"),
    avg_total_tokens: r4(mean(tokens)),
    sd_total_tokens: r4(sampleSd(tokens)),
    cv_total_tokens: r4(coefficientOfVariation(tokens)),
    total_tokens: total(trials, "total_tokens"),
    avg_output_tokens: avg(ran, "output_tokens"),
    avg_cache_read_tokens: avg(ran, "cache_read_tokens"),
    total_cache_read_tokens: total(trials, "cache_read_tokens"),
    avg_reasoning_tokens: avg(ran, "reasoning_tokens"),
    avg_aiu: r4(mean(aiu)),
    sd_aiu: r4(sampleSd(aiu)),
    cv_aiu: r4(coefficientOfVariation(aiu)),
    total_aiu: totalAiu,
    aiu_per_solve: totalAiu !== null && successes > 0 ? r4(totalAiu / successes) : null,
    n_aiu_known: metric(trials, "aiu").length,
    avg_api_duration_ms: avg(ran, "api_duration_ms"),
    avg_diff_files: avg(ran, "diff_files"),
    avg_diff_lines_added: avg(ran, "diff_lines_added"),
    avg_diff_lines_removed: avg(ran, "diff_lines_removed"),
    avg_files_modified: avg(ran, "files_modified"),
    avg_lines_added: avg(ran, "lines_added"),
    avg_lines_removed: avg(ran, "lines_removed"),
  };
}

export function summarizeRun(run: LoadedRun): RunSummary {
  const { record, trials } = run;
  const taskName = new Map(record.tasks.map((t) => [t.slug, t.name]));
  const variants: VariantSummary[] = record.variants.map((v) => {
    const mine = trials.filter((t) => t.meta.variant === v.slug);
    return {
      variant: v.slug,
      name: v.name,
      ...summarizeGroup(mine),
      tasks: record.tasks.map((task) => ({
        task: task.slug,
        name: task.name,
        ...summarizeGroup(mine.filter((t) => t.meta.task === task.slug)),
      })),
    };
  });
  return {
    format_version: FORMAT_VERSION,
    run_id: record.run_id,
    experiment: record.experiment.slug,
    experiment_name: record.experiment.name,
    status: record.status,
    generated_at: new Date().toISOString(),
    overall: summarizeGroup(trials),
    variants,
    tasks: record.tasks.map((task) => ({
      task: task.slug,
      name: taskName.get(task.slug) ?? task.slug,
      ...summarizeGroup(trials.filter((t) => t.meta.task === task.slug)),
    })),
  };
}
