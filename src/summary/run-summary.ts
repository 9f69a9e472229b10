import { coefficientOfVariation, mean, passAtK, round, sampleSd, wilsonInterval } from "../results/stats.ts";
import { FORMAT_VERSION } from "../store/layout.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { TRIAL_STATUSES, type TrialStatus } from "../store/schema.ts";
import { AT, type Metric, type TaskTally, tallyTrials } from "./group-summary.ts";

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

const r4 = (v: number | null) => (v === null ? null : round(v, 4));

/** pass@k averaged over tasks, for k up to the smallest number of graded trials of a task. */
function meanPassAtK(tasks: readonly TaskTally[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (tasks.length === 0) return out;
  let kMax = Number.POSITIVE_INFINITY;
  for (const t of tasks) kMax = Math.min(kMax, t.graded);
  for (let k = 1; k <= kMax; k++) {
    let sum = 0; // as `mean`: from 0, in task order
    for (const t of tasks) sum += passAtK(t.graded, t.success, k)!;
    out[String(k)] = round(sum / tasks.length, 4);
  }
  return out;
}

/** The figures of summary.json for a group of trials, in one pass over them. */
export function summarizeGroup(trials: readonly TrialRecord[]): GroupSummary {
  const t = tallyTrials(trials);
  const { ran, graded, successes, tokens, aiu } = t;
  const ci = wilsonInterval(successes, graded);
  const tasks = t.tasks.filter((x) => x.graded > 0);
  const taskRates = tasks.map((x) => x.success / x.graded);
  const avg = (key: Metric) => (t.ranN[AT[key]] ? r4(t.ranSum[AT[key]]! / t.ranN[AT[key]]!) : null);
  const total = (key: Metric) => (t.allN[AT[key]] ? r4(t.allSum[AT[key]]!) : null);
  const totalAiu = total("aiu");
  return {
    n_trials: trials.length,
    n_ran: ran,
    n_graded: graded,
    n_success: successes,
    n_failed_trials: t.infra,
    status_counts: Object.fromEntries(TRIAL_STATUSES.map((s, i) => [s, t.counts[i]!])) as Record<
      TrialStatus,
      number
    >,
    success_rate: graded ? r4(successes / graded) : null,
    success_ci_low: ci ? r4(ci.low) : null,
    success_ci_high: ci ? r4(ci.high) : null,
    pass_at_k: meanPassAtK(tasks),
    mean_resolved_rate: r4(mean(taskRates)),
    resolved_at_k_rate: tasks.length ? r4(tasks.filter((x) => x.success > 0).length / tasks.length) : null,
    n_flaky_verify: t.flaky,
    avg_duration_s: ran ? r4(t.duration / ran) : null,
    avg_turns: avg("n_turns"),
    avg_tool_calls: avg("n_tool_calls"),
    avg_tool_failures: avg("n_tool_failures"),
    avg_total_tokens: avg("total_tokens"),
    sd_total_tokens: r4(sampleSd(tokens)),
    cv_total_tokens: r4(coefficientOfVariation(tokens)),
    total_tokens: total("total_tokens"),
    avg_output_tokens: avg("output_tokens"),
    avg_cache_read_tokens: avg("cache_read_tokens"),
    total_cache_read_tokens: total("cache_read_tokens"),
    avg_reasoning_tokens: avg("reasoning_tokens"),
    avg_aiu: avg("aiu"),
    sd_aiu: r4(sampleSd(aiu)),
    cv_aiu: r4(coefficientOfVariation(aiu)),
    total_aiu: totalAiu,
    aiu_per_solve: totalAiu !== null && successes > 0 ? r4(totalAiu / successes) : null,
    n_aiu_known: t.allN[AT.aiu]!,
    avg_api_duration_ms: avg("api_duration_ms"),
    avg_diff_files: avg("diff_files"),
    avg_diff_lines_added: avg("diff_lines_added"),
    avg_diff_lines_removed: avg("diff_lines_removed"),
    avg_files_modified: avg("files_modified"),
    avg_lines_added: avg("lines_added"),
    avg_lines_removed: avg("lines_removed"),
  };
}

/** Trials grouped by a key, in first-seen order of the keys; each group in the order of `trials`. */
export function groupTrials(
  trials: readonly TrialRecord[],
  key: (t: TrialRecord) => string,
): Map<string, TrialRecord[]> {
  const groups = new Map<string, TrialRecord[]>();
  for (const t of trials) {
    const k = key(t);
    const group = groups.get(k);
    if (group) group.push(t);
    else groups.set(k, [t]);
  }
  return groups;
}

/** summary.json of a run: the figures of the run, of each variant (and task in it), of each task. */
export function summarizeRun(run: LoadedRun): RunSummary {
  const { record, trials } = run;
  const taskName = new Map(record.tasks.map((t) => [t.slug, t.name]));
  const byVariant = groupTrials(trials, (t) => t.meta.variant);
  const byTask = groupTrials(trials, (t) => t.meta.task);
  const variants: VariantSummary[] = record.variants.map((v) => {
    const mine = byVariant.get(v.slug) ?? [];
    const mineByTask = groupTrials(mine, (t) => t.meta.task);
    return {
      variant: v.slug,
      name: v.name,
      ...summarizeGroup(mine),
      tasks: record.tasks.map((task) => ({
        task: task.slug,
        name: task.name,
        ...summarizeGroup(mineByTask.get(task.slug) ?? []),
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
      ...summarizeGroup(byTask.get(task.slug) ?? []),
    })),
  };
}
