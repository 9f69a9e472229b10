import {
  clusterWilsonInterval,
  coefficientOfVariation,
  mean,
  passAtK,
  round,
  sampleSd,
  wilsonInterval,
} from "../statistics/index.ts";
import type { FlatMetrics, TrialRecord } from "../store/reader.ts";
import { INFRA_STATUSES, RAN_STATUSES, TRIAL_STATUSES, type TrialStatus } from "../store/schema.ts";
import type { TrialMetrics } from "../store/session-schema.ts";
import type { ClusteredInterval, GroupSummary } from "../store/summary-schema.ts";

/**
 * The figures of summary.json for one group of trials (a run, a variant, a task, a cell), in
 * one pass over them: the hot loop of summaries and of `reindex`, which runs it over 10,000
 * trials three times. Success rates are over trials that ran (ok, timeout) and were graded;
 * infrastructure failures are counted beside them, never as unsolved. Averages are over trials
 * that ran; cost totals include every trial that reported usage (a failed trial still spent it).
 */

/**
 * The metrics.json fields a summary reads, with the summary field that averages each over the
 * trials that ran. The first `TOTALLED` are also totalled over every trial that reported them.
 */
const AVERAGED = [
  ["total_tokens", "avg_total_tokens"],
  ["cache_read_tokens", "avg_cache_read_tokens"],
  ["aiu", "avg_aiu"],
  ["n_turns", "avg_turns"],
  ["n_tool_calls", "avg_tool_calls"],
  ["n_tool_failures", "avg_tool_failures"],
  ["output_tokens", "avg_output_tokens"],
  ["reasoning_tokens", "avg_reasoning_tokens"],
  ["api_duration_ms", "avg_api_duration_ms"],
  ["diff_files", "avg_diff_files"],
  ["diff_lines_added", "avg_diff_lines_added"],
  ["diff_lines_removed", "avg_diff_lines_removed"],
  ["files_modified", "avg_files_modified"],
  ["lines_added", "avg_lines_added"],
  ["lines_removed", "avg_lines_removed"],
] as const satisfies readonly (readonly [keyof TrialMetrics, keyof GroupSummary])[];
type Metric = (typeof AVERAGED)[number][0];
const TOTALLED = 3;
const METRICS: readonly Metric[] = AVERAGED.map(([metric]) => metric);
const AT = Object.fromEntries(METRICS.map((k, i) => [k, i])) as Record<Metric, number>;

const STATUS_INDEX = new Map<string, number>(TRIAL_STATUSES.map((s, i) => [s, i]));
const IS_RAN = TRIAL_STATUSES.map((s) => RAN_STATUSES.includes(s));
const IS_INFRA = TRIAL_STATUSES.map((s) => INFRA_STATUSES.includes(s));

const finiteOrNaN = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : Number.NaN);

/**
 * A trial's metrics in `METRICS` order, NaN where missing or not a finite number. One property
 * read per metric rather than a loop over the names: metrics.json objects share one shape, so
 * each read stays a fast one.
 */
function readMetrics(m: FlatMetrics, out: Float64Array): void {
  out[AT.total_tokens] = finiteOrNaN(m.total_tokens);
  out[AT.cache_read_tokens] = finiteOrNaN(m.cache_read_tokens);
  out[AT.aiu] = finiteOrNaN(m.aiu);
  out[AT.n_turns] = finiteOrNaN(m.n_turns);
  out[AT.n_tool_calls] = finiteOrNaN(m.n_tool_calls);
  out[AT.n_tool_failures] = finiteOrNaN(m.n_tool_failures);
  out[AT.output_tokens] = finiteOrNaN(m.output_tokens);
  out[AT.reasoning_tokens] = finiteOrNaN(m.reasoning_tokens);
  out[AT.api_duration_ms] = finiteOrNaN(m.api_duration_ms);
  out[AT.diff_files] = finiteOrNaN(m.diff_files);
  out[AT.diff_lines_added] = finiteOrNaN(m.diff_lines_added);
  out[AT.diff_lines_removed] = finiteOrNaN(m.diff_lines_removed);
  out[AT.files_modified] = finiteOrNaN(m.files_modified);
  out[AT.lines_added] = finiteOrNaN(m.lines_added);
  out[AT.lines_removed] = finiteOrNaN(m.lines_removed);
}

// `readMetrics` must read every metric of `AVERAGED` into its own slot: checked once, at load.
{
  const probe = Object.fromEntries(METRICS.map((k, i) => [k, i])) as unknown as FlatMetrics;
  const out = new Float64Array(METRICS.length).fill(Number.NaN);
  readMetrics(probe, out);
  if (out.some((v, i) => v !== i)) throw new Error("readMetrics does not read every averaged metric");
}

/** Graded and successful trials of one task, for the per-task figures. */
interface TaskTally {
  graded: number;
  success: number;
}

/**
 * What one pass over a group's trials collects. Sums start at 0 and add in trial order: the
 * same arithmetic as `mean` and as a left-to-right total of the values.
 */
interface Tally {
  /** Per status, in `TRIAL_STATUSES` order. */
  counts: number[];
  ran: number;
  infra: number;
  graded: number;
  successes: number;
  flaky: number;
  duration: number;
  /** Per metric (`METRICS` order): sum and count over the trials that ran… */
  ranSum: Float64Array;
  ranN: Uint32Array;
  /** …and, for the first `TOTALLED`, over every trial. */
  allSum: Float64Array;
  allN: Uint32Array;
  /** total_tokens and aiu of the trials that ran, for their spread. */
  tokens: number[];
  aiu: number[];
  /** In first-seen order. */
  tasks: TaskTally[];
}

function tallyTrials(trials: readonly TrialRecord[]): Tally {
  const t: Tally = {
    counts: TRIAL_STATUSES.map(() => 0),
    ran: 0,
    infra: 0,
    graded: 0,
    successes: 0,
    flaky: 0,
    duration: 0,
    ranSum: new Float64Array(METRICS.length),
    ranN: new Uint32Array(METRICS.length),
    allSum: new Float64Array(TOTALLED),
    allN: new Uint32Array(TOTALLED),
    tokens: [],
    aiu: [],
    tasks: [],
  };
  const { counts, ranSum, ranN, allSum, allN } = t;
  const taskBySlug = new Map<string, TaskTally>();
  const values = new Float64Array(METRICS.length);
  let taskSlug: string | undefined;
  let task: TaskTally = { graded: 0, success: 0 };
  for (const { meta, metrics } of trials) {
    const status = STATUS_INDEX.get(meta.status)!;
    counts[status]! += 1;
    if (meta.flaky_verify) t.flaky += 1;
    if (meta.task !== taskSlug) {
      // A task's trials mostly follow each other: one lookup per run of them.
      taskSlug = meta.task;
      const seen = taskBySlug.get(taskSlug);
      if (seen) task = seen;
      else {
        task = { graded: 0, success: 0 };
        taskBySlug.set(taskSlug, task);
        t.tasks.push(task);
      }
    }
    const ran = IS_RAN[status]!;
    if (ran) {
      t.duration += meta.duration_s;
      if (meta.success !== null) {
        t.graded += 1;
        task.graded += 1;
        if (meta.success) {
          t.successes += 1;
          task.success += 1;
        }
      }
    }
    if (!metrics) continue;
    readMetrics(metrics, values);
    for (let i = 0, end = ran ? METRICS.length : TOTALLED; i < end; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (i < TOTALLED) {
        allSum[i]! += v;
        allN[i]! += 1;
      }
      if (ran) {
        ranSum[i]! += v;
        ranN[i]! += 1;
        if (i === AT.total_tokens) t.tokens.push(v);
        else if (i === AT.aiu) t.aiu.push(v);
      }
    }
  }
  t.ran = counts.reduce((sum, n, i) => (IS_RAN[i] ? sum + n : sum), 0);
  t.infra = counts.reduce((sum, n, i) => (IS_INFRA[i] ? sum + n : sum), 0);
  return t;
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

/**
 * The interval clustered by task (docs/statistics.md, "Summaries") from the graded trials per
 * task; null unless they span two tasks, so a task or a (variant, task) cell never has one.
 */
function clusteredInterval(tasks: readonly TaskTally[]): ClusteredInterval | null {
  if (tasks.length < 2) return null;
  const c = clusterWilsonInterval(tasks.map((t) => ({ successes: t.success, n: t.graded })));
  if (!c) return null;
  return {
    ...c,
    rate: round(c.rate, 4),
    low: round(c.low, 4),
    high: round(c.high, 4),
    design_effect: round(c.design_effect, 4),
    n_effective: round(c.n_effective, 4),
  };
}

/** The figures of summary.json for a group of trials, in one pass over them. */
export function summarizeGroup(trials: readonly TrialRecord[]): GroupSummary {
  const t = tallyTrials(trials);
  const { ran, graded, successes, tokens, aiu } = t;
  const ci = wilsonInterval(successes, graded);
  const tasks = t.tasks.filter((x) => x.graded > 0);
  const taskRates = tasks.map((x) => x.success / x.graded);
  const averages = {} as Record<(typeof AVERAGED)[number][1], number | null>;
  for (let i = 0; i < AVERAGED.length; i++) {
    averages[AVERAGED[i]![1]] = t.ranN[i] ? r4(t.ranSum[i]! / t.ranN[i]!) : null;
  }
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
    success_ci_clustered: clusteredInterval(tasks),
    pass_at_k: meanPassAtK(tasks),
    mean_resolved_rate: r4(mean(taskRates)),
    resolved_at_k_rate: tasks.length ? r4(tasks.filter((x) => x.success > 0).length / tasks.length) : null,
    n_flaky_verify: t.flaky,
    avg_duration_s: ran ? r4(t.duration / ran) : null,
    avg_turns: averages.avg_turns,
    avg_tool_calls: averages.avg_tool_calls,
    avg_tool_failures: averages.avg_tool_failures,
    avg_total_tokens: averages.avg_total_tokens,
    sd_total_tokens: r4(sampleSd(tokens)),
    cv_total_tokens: r4(coefficientOfVariation(tokens)),
    total_tokens: total("total_tokens"),
    avg_output_tokens: averages.avg_output_tokens,
    avg_cache_read_tokens: averages.avg_cache_read_tokens,
    total_cache_read_tokens: total("cache_read_tokens"),
    avg_reasoning_tokens: averages.avg_reasoning_tokens,
    avg_aiu: averages.avg_aiu,
    sd_aiu: r4(sampleSd(aiu)),
    cv_aiu: r4(coefficientOfVariation(aiu)),
    total_aiu: totalAiu,
    aiu_per_solve: totalAiu !== null && successes > 0 ? r4(totalAiu / successes) : null,
    n_aiu_known: t.allN[AT.aiu]!,
    avg_api_duration_ms: averages.avg_api_duration_ms,
    avg_diff_files: averages.avg_diff_files,
    avg_diff_lines_added: averages.avg_diff_lines_added,
    avg_diff_lines_removed: averages.avg_diff_lines_removed,
    avg_files_modified: averages.avg_files_modified,
    avg_lines_added: averages.avg_lines_added,
    avg_lines_removed: averages.avg_lines_removed,
  };
}
