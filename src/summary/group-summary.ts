import type { FlatMetrics, TrialRecord } from "../store/reader.ts";
import { INFRA_STATUSES, RAN_STATUSES, TRIAL_STATUSES } from "../store/schema.ts";

/**
 * One pass over a group's trials, collecting what summary.json's figures are computed from
 * (see `summarizeGroup`). A module of its own because it is the hot loop of summaries and of
 * `reindex`, which runs it over 10,000 trials three times.
 */

const STATUS_INDEX = new Map<string, number>(TRIAL_STATUSES.map((s, i) => [s, i]));
const IS_RAN = TRIAL_STATUSES.map((s) => RAN_STATUSES.includes(s));
const IS_INFRA = TRIAL_STATUSES.map((s) => INFRA_STATUSES.includes(s));

/**
 * The metrics a summary reads from metrics.json, all averaged over the trials that ran
 * (`avg_<key>`); the first three are also totalled over every trial that reported them (a
 * failed trial still spent its cost).
 */
const METRICS = [
  "total_tokens",
  "cache_read_tokens",
  "aiu",
  "n_turns",
  "n_tool_calls",
  "n_tool_failures",
  "output_tokens",
  "reasoning_tokens",
  "api_duration_ms",
  "diff_files",
  "diff_lines_added",
  "diff_lines_removed",
  "files_modified",
  "lines_added",
  "lines_removed",
] as const;
export type Metric = (typeof METRICS)[number];
const TOTALLED = 3;
export const AT = Object.fromEntries(METRICS.map((k, i) => [k, i])) as Record<Metric, number>;

const finiteOrNaN = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : Number.NaN);

/**
 * A trial's metrics in `METRICS` order, NaN where missing or not a finite number. One property
 * read per metric rather than a loop over the names: metrics.json objects share one shape, so
 * each read stays a fast one (`reindex` reads 10,000 trials three times).
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

/** Graded and successful trials of one task, for the per-task figures. */
export interface TaskTally {
  graded: number;
  success: number;
}

/**
 * What one pass over a group's trials collects. Sums start at 0 and add in trial order: the
 * same arithmetic as `mean` and as a left-to-right total of the values.
 */
export interface Tally {
  /** Per status, in `TRIAL_STATUSES` order. */
  counts: number[];
  /** Trials that ran (ok, timeout), and infrastructure failures. */
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

export function tallyTrials(trials: readonly TrialRecord[]): Tally {
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
