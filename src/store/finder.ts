import { existsSync, readFileSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { UserError } from "../errors.ts";
import { ARTIFACTS, resultsRoot, trialDir, trialName } from "./layout.ts";
import { subdirs } from "./reader.ts";
import type { RunRecord } from "./schema.ts";

export interface StoredRun {
  experiment: string;
  runId: string;
  dir: string;
  /** run.json, when readable. */
  record?: RunRecord;
}

/** Every run folder with a run.json under `<root>/results`, oldest first (run ids sort by time). */
export function listStoredRuns(root: string, experiment?: string): StoredRun[] {
  const base = resultsRoot(root);
  const runs: StoredRun[] = [];
  for (const exp of experiment ? [experiment] : subdirs(base)) {
    for (const runId of subdirs(join(base, exp))) {
      const dir = join(base, exp, runId);
      const runJson = join(dir, ARTIFACTS.run);
      if (!existsSync(runJson)) continue;
      let record: RunRecord | undefined;
      try {
        record = JSON.parse(readFileSync(runJson, "utf8")) as RunRecord;
      } catch {
        record = undefined;
      }
      runs.push({ experiment: exp, runId, dir, record });
    }
  }
  return runs.sort((a, b) => {
    const at = a.record?.started_at ?? a.runId;
    const bt = b.record?.started_at ?? b.runId;
    return at < bt ? -1 : at > bt ? 1 : a.runId < b.runId ? -1 : 1;
  });
}

/**
 * A run by id, unique id prefix, or `last` (the most recent). Unknown and ambiguous ids are
 * errors that list what exists.
 */
export function resolveRun(
  root: string,
  sel: { run?: string; last?: boolean; experiment?: string },
): StoredRun {
  const runs = listStoredRuns(root, sel.experiment);
  if (runs.length === 0) {
    throw new UserError(`no runs found under ${resolvePath(resultsRoot(root))}`, {
      hint: "Run an experiment first (`copilot-experiments run`), or pass --root to the folder that holds results/.",
    });
  }
  if (sel.last || !sel.run) {
    if (!sel.last && !sel.run) {
      throw new UserError("which run? give a run id (or a unique prefix of one), or --last", {
        hint: `Most recent: ${runs.at(-1)!.runId} (${runs.at(-1)!.experiment}). \`copilot-experiments list\` shows all.`,
      });
    }
    return runs.at(-1)!;
  }
  const exact = runs.filter((r) => r.runId === sel.run);
  const matches = exact.length ? exact : runs.filter((r) => r.runId.startsWith(sel.run!));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UserError(`no run matches ${JSON.stringify(sel.run)}`, {
      hint: `Recent runs: ${runs
        .slice(-5)
        .map((r) => r.runId)
        .join(", ")}. \`copilot-experiments list\` shows all.`,
    });
  }
  throw new UserError(`run id ${JSON.stringify(sel.run)} is ambiguous: ${matches.length} runs match`, {
    hint: `Matches: ${matches.map((r) => `${r.runId} (${r.experiment})`).join(", ")}. Give more characters.`,
  });
}

export interface TrialSelector {
  run?: string;
  last?: boolean;
  variant?: string;
  task?: string;
  trial?: string | number;
}

/** The folder of one trial: defaults to the first variant, first task, trial 1. */
export function resolveTrial(
  root: string,
  sel: TrialSelector,
): { run: StoredRun; variant: string; task: string; trial: number; dir: string } {
  const run = resolveRun(root, sel);
  const variants = subdirs(join(run.dir, "variants"));
  const order = run.record?.variants?.map((v) => v.slug) ?? variants;
  const variant = sel.variant ?? order.find((v) => variants.includes(v)) ?? variants[0];
  if (!variant || !variants.includes(variant)) {
    throw new UserError(`run ${run.runId} has no variant ${JSON.stringify(sel.variant)}`, {
      hint: `Variants: ${variants.join(", ") || "(none)"}`,
    });
  }
  const tasks = subdirs(join(run.dir, "variants", variant, "tasks"));
  const taskOrder = run.record?.tasks?.map((t) => t.slug) ?? tasks;
  const task = sel.task ?? taskOrder.find((t) => tasks.includes(t)) ?? tasks[0];
  if (!task || !tasks.includes(task)) {
    throw new UserError(`variant ${variant} of run ${run.runId} has no task ${JSON.stringify(sel.task)}`, {
      hint: `Tasks: ${tasks.join(", ") || "(none)"}`,
    });
  }
  const trial = sel.trial === undefined || sel.trial === "" ? 1 : Number(sel.trial);
  const dir = trialDir(run.dir, variant, task, trial);
  if (!Number.isInteger(trial) || trial < 1 || !existsSync(dir)) {
    const trials = subdirs(join(run.dir, "variants", variant, "tasks", task, "trials"));
    throw new UserError(`no trial ${JSON.stringify(sel.trial)} for ${variant}/${task} in run ${run.runId}`, {
      hint: `Trials: ${trials.map((t) => Number(t)).join(", ") || "(none)"}; --trial takes the number (1 = ${trialName(1)}).`,
    });
  }
  return { run, variant, task, trial, dir };
}

export function resolveTrialDir(root: string, sel: TrialSelector): string {
  return resolveTrial(root, sel).dir;
}
