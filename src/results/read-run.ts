import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS } from "./layout.ts";
import { type RunRecord, RunRecordSchema, type TrialMeta, TrialMetaSchema } from "./schema.ts";

/** The flat metrics of a trial (metrics.json) as read back: numbers, nulls and a few lists. */
export type FlatMetrics = Record<string, unknown>;

export interface TrialRecord {
  meta: TrialMeta;
  metrics: FlatMetrics | null;
  /** Absolute trial folder. */
  dir: string;
}

export interface LoadedRun {
  dir: string;
  record: RunRecord;
  trials: TrialRecord[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function readRunRecord(runDir: string): RunRecord {
  return RunRecordSchema.parse(readJson(join(runDir, ARTIFACTS.run)));
}

/**
 * Every trial of a run that has a readable meta.json, ordered like the run's variants and tasks.
 * Trials without meta.json never finished and are not part of the results.
 */
export function loadRun(runDir: string): LoadedRun {
  const record = readRunRecord(runDir);
  const variantOrder = new Map(record.variants.map((v, i) => [v.slug, i]));
  const taskOrder = new Map(record.tasks.map((t, i) => [t.slug, i]));
  const trials: TrialRecord[] = [];
  for (const variant of subdirs(join(runDir, "variants"))) {
    for (const task of subdirs(join(runDir, "variants", variant, "tasks"))) {
      const trialsDir = join(runDir, "variants", variant, "tasks", task, "trials");
      for (const name of subdirs(trialsDir)) {
        const dir = join(trialsDir, name);
        const metaPath = join(dir, ARTIFACTS.meta);
        if (!existsSync(metaPath)) continue;
        let meta: TrialMeta;
        try {
          meta = TrialMetaSchema.parse(readJson(metaPath));
        } catch {
          continue; // a foreign or damaged file is not a finished trial
        }
        let metrics: FlatMetrics | null = null;
        const metricsPath = join(dir, ARTIFACTS.metrics);
        if (existsSync(metricsPath)) {
          try {
            metrics = readJson(metricsPath) as FlatMetrics;
          } catch {
            metrics = null;
          }
        }
        trials.push({ meta, metrics, dir });
      }
    }
  }
  const rank = (m: TrialMeta) => [variantOrder.get(m.variant) ?? 1e9, taskOrder.get(m.task) ?? 1e9, m.trial];
  trials.sort((a, b) => {
    const [av, at, an] = rank(a.meta);
    const [bv, bt, bn] = rank(b.meta);
    return av! - bv! || at! - bt! || an! - bn!;
  });
  return { dir: runDir, record, trials };
}
