import { existsSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { UserError } from "../errors.ts";
import { Problems, readArtifact, type Skipped } from "./json-file.ts";
import {
  ARTIFACTS,
  assertSegment,
  resultsRoot,
  runDir,
  TASKS,
  TRIALS,
  taskDir,
  trialDir,
  trialName,
  VARIANTS,
  variantDir,
} from "./layout.ts";
import { subdirs } from "./reader.ts";
import { type RunRecord, RunRecordSchema, SEGMENT_PATTERN } from "./schema.ts";

/**
 * Finding runs and trials: by id, unique prefix or `--last`; every run folder of a results
 * tree (list, reindex); the runs inside a folder given to `merge`. Folder names that are not
 * safe names are not runs.
 */

export interface StoredRun {
  experiment: string;
  runId: string;
  dir: string;
  /** run.json, when it is readable and valid. */
  record?: RunRecord;
  /** Why run.json could not be used. */
  problem?: Skipped;
}

const isSegment = (name: string) => SEGMENT_PATTERN.test(name);

/** The run folders (with a run.json) under a results folder: `<results>/<experiment>/<run-id>`. */
export function runFolders(resultsDir: string): { experiment: string; runId: string; dir: string }[] {
  const out: { experiment: string; runId: string; dir: string }[] = [];
  for (const experiment of subdirs(resultsDir).filter(isSegment)) {
    for (const runId of subdirs(join(resultsDir, experiment)).filter(isSegment)) {
      const dir = join(resultsDir, experiment, runId);
      if (existsSync(join(dir, ARTIFACTS.run))) out.push({ experiment, runId, dir });
    }
  }
  return out;
}

/**
 * Every run under `<root>/results` (or of one experiment), oldest first (run ids sort by time).
 * A run whose run.json is damaged is listed with its `problem` and without a record.
 */
export function listStoredRuns(root: string, experiment?: string): StoredRun[] {
  const base = resultsRoot(root);
  const folders = runFolders(base).filter((f) => experiment === undefined || f.experiment === experiment);
  const runs: StoredRun[] = folders.map((f) => {
    const problems = new Problems("lenient");
    const record = readArtifact(join(f.dir, ARTIFACTS.run), RunRecordSchema, problems) ?? undefined;
    return { ...f, record, problem: problems.skipped[0] };
  });
  return runs.sort((a, b) => {
    const at = a.record?.started_at ?? a.runId;
    const bt = b.record?.started_at ?? b.runId;
    return at < bt ? -1 : at > bt ? 1 : a.runId < b.runId ? -1 : 1;
  });
}

/** Whether `<root>/results/<experiment>/<run-id>` holds a run. */
export function runExists(root: string, experiment: string, runId: string): boolean {
  return existsSync(join(runDir(root, experiment, runId), ARTIFACTS.run));
}

/**
 * A run by id, unique id prefix, or `last` (the most recent). Unknown and ambiguous ids are
 * errors that list what exists; a selector that is not a possible run id is refused.
 */
export function resolveRun(
  root: string,
  sel: { run?: string; last?: boolean; experiment?: string },
): StoredRun {
  if (sel.run !== undefined && sel.run !== "" && !isSegment(sel.run)) assertSegment("run id", sel.run);
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

export interface FoundTrial {
  run: StoredRun;
  variant: string;
  task: string;
  trial: number;
  dir: string;
}

/** The folder of one trial: defaults to the first variant, first task, trial 1. */
export function resolveTrial(root: string, sel: TrialSelector): FoundTrial {
  const run = resolveRun(root, sel);
  const variants = subdirs(join(run.dir, VARIANTS)).filter(isSegment);
  const order = run.record?.variants?.map((v) => v.slug) ?? variants;
  // A name is as good as a slug: tables show names (formats/names.ts).
  const byName = (wanted: string | undefined, list: { slug: string; name: string }[] | undefined) =>
    wanted === undefined
      ? undefined
      : (list?.find((x) => x.name === wanted && x.slug !== wanted)?.slug ?? wanted);
  const variant =
    byName(sel.variant, run.record?.variants) ?? order.find((v) => variants.includes(v)) ?? variants[0];
  if (!variant || !variants.includes(variant)) {
    throw new UserError(`run ${run.runId} has no variant ${JSON.stringify(sel.variant)}`, {
      hint: `Variants: ${variants.join(", ") || "(none)"}`,
    });
  }
  const tasks = subdirs(join(variantDir(run.dir, variant), TASKS)).filter(isSegment);
  const taskOrder = run.record?.tasks?.map((t) => t.slug) ?? tasks;
  const task = byName(sel.task, run.record?.tasks) ?? taskOrder.find((t) => tasks.includes(t)) ?? tasks[0];
  if (!task || !tasks.includes(task)) {
    throw new UserError(`variant ${variant} of run ${run.runId} has no task ${JSON.stringify(sel.task)}`, {
      hint: `Tasks: ${tasks.join(", ") || "(none)"}`,
    });
  }
  const trial = sel.trial === undefined || sel.trial === "" ? 1 : Number(sel.trial);
  const dir = Number.isInteger(trial) && trial >= 1 ? trialDir(run.dir, variant, task, trial) : "";
  if (!dir || !existsSync(dir)) {
    const trials = subdirs(join(taskDir(run.dir, variant, task), TRIALS));
    throw new UserError(`no trial ${JSON.stringify(sel.trial)} for ${variant}/${task} in run ${run.runId}`, {
      hint: `Trials: ${trials.map((t) => Number(t)).join(", ") || "(none)"}; --trial takes the number (1 = ${trialName(1)}).`,
    });
  }
  return { run, variant, task, trial, dir };
}

/**
 * The runs inside a folder given to `merge`: a run folder itself, a `results/` folder, or a
 * root holding `results/`. Their run.json must be valid (exit 2 naming it otherwise).
 */
export function findRunsIn(dir: string): { dir: string; record: RunRecord }[] {
  const strict = new Problems("strict");
  const read = (runDir: string) => {
    const record = readArtifact(join(runDir, ARTIFACTS.run), RunRecordSchema, strict);
    return { dir: runDir, record: record! };
  };
  if (existsSync(join(dir, ARTIFACTS.run))) return [read(dir)];
  const results = existsSync(resultsRoot(dir)) ? resultsRoot(dir) : dir;
  return runFolders(results).map((f) => read(f.dir));
}
