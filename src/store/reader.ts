import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { compileGuard, isPlainObject } from "./guard.ts";
import { damaged, invalidReason, Problems, parseJsonFile, readArtifact, type Skipped } from "./json-file.ts";
import { ARTIFACTS, TASKS, TRIALS, trialName, VARIANTS } from "./layout.ts";
import { type RunRecord, RunRecordSchema, type TrialMeta, TrialMetaSchema } from "./schema.ts";
import { type TrialMetrics, TrialMetricsSchema } from "./session-schema.ts";

/**
 * The one reader of the results tree. Strict: a damaged file the caller needs is an error that
 * names it (exit 2). Lenient: damaged files are left out and reported (`skipped`), so commands
 * that can go on (list, reindex, report, show) still work on a partly damaged run. It is also
 * the hot loop of `reindex` (10,000 trials): as few system calls and copies as possible.
 */

/** The flat metrics of a trial (metrics.json): the schema's fields, and any a later version adds. */
export type FlatMetrics = TrialMetrics & Record<string, unknown>;

export interface TrialRecord {
  /** meta.json as `TrialMetaSchema` accepts it (fields the schema does not know stay, unread). */
  meta: TrialMeta;
  /** metrics.json when the trial has a valid one, else null. */
  metrics: FlatMetrics | null;
  /** Absolute trial folder. */
  dir: string;
}

export interface LoadedRun {
  dir: string;
  record: RunRecord;
  trials: TrialRecord[];
}

// Compiled on first use: every command imports this module, and most read no trial.
let isTrialMeta: ((value: unknown) => value is TrialMeta) | undefined;
let isTrialMetrics: ((value: unknown) => value is TrialMetrics) | undefined;

/** The names of the folders in `dir`, sorted; none when `dir` does not exist. */
export function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if ((err as { code?: unknown }).code === "ENOENT") return [];
    throw err;
  }
}

/** run.json, strictly: a run without a valid one cannot be read (exit 2 naming the file). */
export function readRunRecord(runDir: string): RunRecord {
  const path = join(runDir, ARTIFACTS.run);
  const record = readArtifact(path, RunRecordSchema, new Problems("strict"));
  if (!record) throw damaged(path, "missing", "This folder is not a run: it has no run.json.");
  return record;
}

/** run.json strictly when the folder has one (shards starting one run), else undefined. */
export function readRunRecordIfAny(runDir: string): RunRecord | undefined {
  return existsSync(join(runDir, ARTIFACTS.run)) ? readRunRecord(runDir) : undefined;
}

/** A run and every finished trial, strictly: any damaged meta.json or metrics.json is an error. */
export function loadRun(runDir: string): LoadedRun {
  const record = readRunRecord(runDir);
  return { dir: runDir, record, trials: loadTrials(runDir, record, new Problems("strict")) };
}

/** A run read leniently: what could not be read is in `skipped`. */
export interface LenientRun {
  run: LoadedRun;
  skipped: Skipped[];
  /**
   * Each variant's context exactly as run.json holds it, when run.json was read without them
   * (a context of another version's shape): for display only.
   */
  rawContexts?: Map<string, Record<string, unknown>>;
}

/**
 * run.json when it can be used at all: valid, or valid once the variants' contexts (the field
 * whose shape changed between versions) are left out. Otherwise a `DamagedFileError`.
 */
export function readRunRecordLenient(
  runDir: string,
  problems: Problems,
): Omit<LenientRun, "run" | "skipped"> & {
  record: RunRecord;
} {
  const path = join(runDir, ARTIFACTS.run);
  const parsed = parseJsonFile(path);
  if (!parsed.ok)
    throw damaged(
      path,
      parsed.reason,
      parsed.missing ? "This folder is not a run: it has no run.json." : undefined,
    );
  const strict = RunRecordSchema.safeParse(parsed.value);
  if (strict.success) return { record: strict.data };
  const raw = parsed.value;
  if (isPlainObject(raw) && Array.isArray(raw.variants)) {
    const rawContexts = new Map<string, Record<string, unknown>>();
    for (const v of raw.variants) {
      if (isPlainObject(v) && typeof v.slug === "string" && isPlainObject(v.context))
        rawContexts.set(v.slug, v.context);
    }
    const variants = raw.variants.map((v) => (isPlainObject(v) ? { ...v, context: {} } : v));
    const retry = RunRecordSchema.safeParse({ ...raw, variants });
    if (retry.success) {
      problems.report(path, "the variants' contexts do not match this version's format: left out");
      return { record: retry.data, rawContexts };
    }
  }
  throw damaged(path, invalidReason(RunRecordSchema, raw));
}

/** A run and the trials that can be read; damaged files are reported in `skipped`. */
export function loadRunLenient(runDir: string): LenientRun {
  const problems = new Problems("lenient");
  const { record, rawContexts } = readRunRecordLenient(runDir, problems);
  const trials = loadTrials(runDir, record, problems);
  return { run: { dir: runDir, record, trials }, skipped: problems.skipped, rawContexts };
}

/** One trial's meta.json and metrics.json: "missing" when it never finished. */
export function readTrial(dir: string, problems: Problems): TrialRecord | "missing" {
  const metaPath = `${dir}${sep}${ARTIFACTS.meta}`;
  const parsed = parseJsonFile(metaPath);
  if (!parsed.ok) {
    if (parsed.missing) return "missing";
    problems.report(metaPath, parsed.reason);
    return "missing";
  }
  isTrialMeta ??= compileGuard(TrialMetaSchema);
  if (!isTrialMeta(parsed.value)) {
    problems.report(metaPath, invalidReason(TrialMetaSchema, parsed.value));
    return "missing";
  }
  const meta = parsed.value;
  // metrics.json comes from a session: read it straight away (one system call when it is
  // there). A trial that never started one (skipped, setup failed) most likely has none, and
  // checking for it is cheaper than a read that fails.
  const metricsPath = `${dir}${sep}${ARTIFACTS.metrics}`;
  if (meta.session_id === null && !existsSync(metricsPath)) return { meta, metrics: null, dir };
  const metrics = parseJsonFile(metricsPath);
  if (!metrics.ok) {
    if (!metrics.missing) problems.report(metricsPath, metrics.reason);
    return { meta, metrics: null, dir };
  }
  isTrialMetrics ??= compileGuard(TrialMetricsSchema);
  if (!isTrialMetrics(metrics.value)) {
    problems.report(metricsPath, invalidReason(TrialMetricsSchema, metrics.value));
    return { meta, metrics: null, dir };
  }
  return { meta, metrics: metrics.value as FlatMetrics, dir };
}

/**
 * The finished trials under `runDir` (those with a valid meta.json), ordered by the position
 * of their variant and task in `record`, then by trial number; variants and tasks `record` does
 * not list come last. A meta.json is the trial of the folder it sits in: a copied folder
 * (`001-copy`) is not a second trial 1.
 */
export function loadTrials(runDir: string, record: RunRecord, problems: Problems): TrialRecord[] {
  const trials: TrialRecord[] = [];
  const variantsDir = join(runDir, VARIANTS);
  for (const variant of subdirs(variantsDir)) {
    const tasksDir = join(variantsDir, variant, TASKS);
    for (const task of subdirs(tasksDir)) {
      const trialsDir = join(tasksDir, task, TRIALS);
      for (const name of subdirs(trialsDir)) {
        // Plain concatenation (trialsDir is normalised): path.join's work is measurable here.
        const trial = readTrial(`${trialsDir}${sep}${name}`, problems);
        if (trial === "missing") continue;
        const { meta } = trial;
        if (meta.variant !== variant || meta.task !== task || trialName(meta.trial) !== name) continue;
        trials.push(trial);
      }
    }
  }
  return orderTrials(trials, record);
}

/** Trials in the order of the run's variants and tasks, then by trial number. */
export function orderTrials(trials: readonly TrialRecord[], record: RunRecord): TrialRecord[] {
  const UNLISTED = 1e9;
  const variantOrder = new Map(record.variants.map((v, i) => [v.slug, i]));
  const taskOrder = new Map(record.tasks.map((t, i) => [t.slug, i]));
  const keyed = trials.map((t) => ({
    t,
    v: variantOrder.get(t.meta.variant) ?? UNLISTED,
    k: taskOrder.get(t.meta.task) ?? UNLISTED,
    n: t.meta.trial,
  }));
  // Names decide only between variants (tasks) the run does not list: they come last, by name.
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  keyed.sort(
    (a, b) =>
      a.v - b.v ||
      (a.v === UNLISTED ? byName(a.t.meta.variant, b.t.meta.variant) : 0) ||
      a.k - b.k ||
      (a.k === UNLISTED ? byName(a.t.meta.task, b.t.meta.task) : 0) ||
      a.n - b.n,
  );
  return keyed.map((x) => x.t);
}

/** A path for messages: relative to `base` when inside it. */
export function shortPath(path: string, base: string): string {
  const rel = relative(base, path);
  return rel && !rel.startsWith("..") ? rel : path;
}
