import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { FORMAT_VERSION } from "../store/schema.ts";
import type { RunSummary, VariantSummary } from "../store/summary-schema.ts";
import { summarizeGroup } from "./group-summary.ts";
import { runVersions } from "./versions.ts";

/**
 * summary.json (README, "Summaries"): the figures of a run, of each variant (and each task
 * within it), and of each task across variants, from the trials of a loaded run.
 */

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

export function summarizeRun(run: LoadedRun, now = new Date()): RunSummary {
  const { record, trials } = run;
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
    generated_at: now.toISOString(),
    copilot_versions_ran: runVersions(record, trials),
    overall: summarizeGroup(trials),
    variants,
    tasks: record.tasks.map((task) => ({
      task: task.slug,
      name: task.name,
      ...summarizeGroup(byTask.get(task.slug) ?? []),
    })),
  };
}
