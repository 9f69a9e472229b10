import { relative, resolve } from "node:path";
import { trialSqlRow } from "../formats/trial-columns.ts";
import type { Redactor } from "../secrets/redact.ts";
import type { LoadedRun } from "../store/reader.ts";
import type { GroupSummary } from "../store/summary-schema.ts";
import { summarizeGroup } from "../summary/group-summary.ts";
import { groupTrials } from "../summary/run-summary.ts";

/**
 * The rows one run contributes to the index, computed from the loaded run alone: incremental
 * indexing and `reindex` both go through here, which is what makes their rows identical. The
 * figures of the run, variant and task rows are summary.json's (`summarizeGroup`).
 */

type Sql = string | number | null;

export interface RunRows {
  key: [experiment: string, runId: string];
  run: Sql[];
  variants: Sql[][];
  tasks: Sql[][];
  trials: Sql[][];
}

const bool = (v: boolean | null | undefined): number | null =>
  v === null || v === undefined ? null : v ? 1 : 0;
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

function groupCells(g: GroupSummary): Sql[] {
  return [
    g.n_trials,
    g.n_ran,
    g.n_graded,
    g.n_success,
    g.n_failed_trials,
    g.success_rate,
    g.success_ci_low,
    g.success_ci_high,
    g.avg_aiu,
    g.total_aiu,
    g.avg_total_tokens,
    g.avg_duration_s,
  ];
}

/** The task definitions of run.json's experiment definition, in declaration order. */
function taskDefinitions(definition: Record<string, unknown>): Record<string, unknown>[] {
  const list = Array.isArray(definition.tasks) ? definition.tasks : definition.task ? [definition.task] : [];
  return list.filter((t): t is Record<string, unknown> => typeof t === "object" && t !== null);
}

/** Text cells through the redactor (a row has no secret unless a file had one: cheap to check). */
function redactRow(row: Sql[], redactor: Redactor): void {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (typeof v === "string" && redactor.leaks(v)) row[i] = redactor.redact(v);
  }
}

export function runRows(run: LoadedRun, resultsDir: string, redactor: Redactor): RunRows {
  const { record, trials } = run;
  const experiment = record.experiment.slug;
  const runId = record.run_id;
  const overall = summarizeGroup(trials);
  const byVariant = groupTrials(trials, (t) => t.meta.variant);
  const byTask = groupTrials(trials, (t) => t.meta.task);
  const c = overall.status_counts;
  const runRow: Sql[] = [
    experiment,
    runId,
    record.status,
    record.started_at,
    record.finished_at,
    record.experiment.name,
    record.experiment.description,
    record.experiment.file,
    record.experiment.hash,
    record.copilot.version,
    record.tool.version,
    record.root_git_head,
    record.host.hostname,
    record.host.platform,
    record.host.arch,
    record.options.concurrency,
    record.options.retries,
    record.options.budget_aiu,
    bool(record.options.isolate_home),
    record.options.shard,
    bool(record.options.dry_run),
    record.counts.planned,
    overall.n_trials,
    c.ok,
    c.copilot_failed,
    c.timeout,
    c.harness_error,
    c.interrupted,
    c.skipped,
    overall.n_ran,
    overall.n_graded,
    overall.n_success,
    overall.success_rate,
    overall.success_ci_low,
    overall.success_ci_high,
    overall.total_aiu,
    overall.n_aiu_known,
    overall.total_tokens,
    relative(resultsDir, resolve(run.dir)).split("\\").join("/"),
  ];

  const variants = record.variants.map((v, i) => [
    experiment,
    runId,
    v.slug,
    i,
    v.name,
    v.model,
    v.reasoning_effort,
    v.trials,
    JSON.stringify(v.context ?? {}),
    ...groupCells(summarizeGroup(byVariant.get(v.slug) ?? [])),
  ]);

  const definitions = taskDefinitions(record.definition);
  const tasks = record.tasks.map((task, i) => [
    experiment,
    runId,
    task.slug,
    i,
    task.name,
    bool(task.graded),
    text(definitions[i]?.prompt),
    text(definitions[i]?.verify),
    ...groupCells(summarizeGroup(byTask.get(task.slug) ?? [])),
  ]);

  // The run's key wins over what a trial's meta.json says, so replacing a run replaces all of it.
  const trialRows = trials.map((t) => {
    const row = trialSqlRow(t);
    row[0] = experiment;
    row[1] = runId;
    return row;
  });
  if (redactor.size > 0)
    for (const rows of [[runRow], variants, tasks, trialRows]) for (const r of rows) redactRow(r, redactor);
  return { key: [experiment, runId], run: runRow, variants, tasks, trials: trialRows };
}
