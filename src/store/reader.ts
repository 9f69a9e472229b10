import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { compileGuard, isPlainObject } from "./guard.ts";
import { ARTIFACTS, trialName } from "./layout.ts";
import { type RunRecord, RunRecordSchema, type TrialMeta, TrialMetaSchema } from "./schema.ts";

/**
 * Reading a run back from the results tree. Every reader (show, export, compare, summaries, the
 * report, the index) goes through `loadTrials`, so all of them see the same trials. It is also
 * the hot loop of `reindex` (10,000 trials): as few system calls and copies as possible.
 */

/** The flat metrics of a trial (metrics.json) as read back: numbers, nulls and a few lists. */
export type FlatMetrics = Record<string, unknown>;

export interface TrialRecord {
  /** meta.json as `TrialMetaSchema` accepts it (fields the schema does not know stay, unread). */
  meta: TrialMeta;
  /** metrics.json when it is readable and a JSON object, else null. */
  metrics: FlatMetrics | null;
  /** Absolute trial folder. */
  dir: string;
}

export interface LoadedRun {
  dir: string;
  record: RunRecord;
  trials: TrialRecord[];
}

/** Accepts exactly the meta.json files `TrialMetaSchema` accepts, without copying them. */
const isTrialMeta = compileGuard(TrialMetaSchema);

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

/** The file's JSON, or undefined when it is missing or unreadable. */
function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function readRunRecord(runDir: string): RunRecord {
  return RunRecordSchema.parse(JSON.parse(readFileSync(join(runDir, ARTIFACTS.run), "utf8")));
}

/**
 * Every trial of a run that has a readable meta.json, ordered like the run's variants and tasks.
 * Trials without meta.json never finished and are not part of the results.
 */
export function loadRun(runDir: string): LoadedRun {
  const record = readRunRecord(runDir);
  return { dir: runDir, record, trials: loadTrials(runDir, record) };
}

/**
 * The trials under `runDir` with a valid meta.json (a foreign or damaged file is not a finished
 * trial), ordered by the position of their variant and task in `record`, then by trial number;
 * variants and tasks `record` does not list come last.
 */
export function loadTrials(runDir: string, record: RunRecord): TrialRecord[] {
  const trials: TrialRecord[] = [];
  const variantsDir = join(runDir, "variants");
  for (const variant of subdirs(variantsDir)) {
    const tasksDir = join(variantsDir, variant, "tasks");
    for (const task of subdirs(tasksDir)) {
      const trialsDir = join(tasksDir, task, "trials");
      for (const name of subdirs(trialsDir)) {
        // Plain concatenation (trialsDir is normalised): path.join's work is measurable here.
        const dir = `${trialsDir}${sep}${name}`;
        const meta = readJson(`${dir}${sep}${ARTIFACTS.meta}`);
        if (!isTrialMeta(meta)) continue; // no meta.json: never finished
        // A meta.json is the trial of the folder it sits in; a copied folder (`001-copy`) is not
        // a second trial 1, and would otherwise count twice.
        if (meta.variant !== variant || meta.task !== task || trialName(meta.trial) !== name) continue;
        // metrics.json comes from a session: read it straight away (one system call when it is
        // there). A trial that never started one (skipped, setup failed) most likely has none,
        // and checking for it is cheaper than a read that fails.
        const metricsPath = `${dir}${sep}${ARTIFACTS.metrics}`;
        const metrics = meta.session_id === null && !existsSync(metricsPath) ? null : readJson(metricsPath);
        trials.push({ meta, metrics: isPlainObject(metrics) ? metrics : null, dir });
      }
    }
  }
  const variantOrder = new Map(record.variants.map((v, i) => [v.slug, i]));
  const taskOrder = new Map(record.tasks.map((t, i) => [t.slug, i]));
  const keyed = trials.map((t) => ({
    t,
    v: variantOrder.get(t.meta.variant) ?? 1e9,
    k: taskOrder.get(t.meta.task) ?? 1e9,
    n: t.meta.trial,
  }));
  keyed.sort((a, b) => a.v - b.v || a.k - b.k || a.n - b.n);
  return keyed.map((x) => x.t);
}
