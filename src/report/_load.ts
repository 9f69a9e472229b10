import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS } from "../results/layout.ts";
import { type FlatMetrics, type LoadedRun, loadRun, type TrialRecord } from "../results/read-run.ts";
import { type RunRecord, RunRecordSchema, TrialMetaSchema } from "../results/schema.ts";
import { errorText, isRecord, readJsonSafe } from "./_read.ts";

/**
 * The run as `loadRun` reads it; when its run.json does not match the current schema (written by
 * another version, or damaged in one field), a lenient reading that drops the offending parts,
 * so the report still shows the trials. Null only when run.json is missing or not JSON.
 */
export function loadRunForReport(runDir: string, notes: string[]): LoadedRun | null {
  try {
    return loadRun(runDir);
  } catch (err) {
    const raw = readJsonSafe(join(runDir, ARTIFACTS.run));
    if (!raw.ok || !isRecord(raw.value)) {
      notes.push(
        `${raw.ok ? "run.json is not an object" : raw.reason}: the report shows what the folder tells.`,
      );
      return null;
    }
    const record = lenientRecord(raw.value);
    if (!record) {
      notes.push(`run.json does not match this version's format (${firstLine(errorText(err))}).`);
      return null;
    }
    notes.push("run.json does not fully match this version's format: some run details may be missing.");
    return { dir: runDir, record, trials: scanTrials(runDir, record) };
  }
}

const firstLine = (text: string) => text.split("\n")[0]!.slice(0, 200);

/** Retry with variant contexts dropped (the field whose shape changed between versions). */
function lenientRecord(raw: Record<string, unknown>): RunRecord | null {
  const variants = Array.isArray(raw.variants)
    ? raw.variants.map((v) => (isRecord(v) ? { ...v, context: {} } : v))
    : raw.variants;
  const parsed = RunRecordSchema.safeParse({ ...raw, variants });
  return parsed.success ? parsed.data : null;
}

const subdirs = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];

/** Every trial with a valid meta.json, in the order of the run's variants and tasks. */
function scanTrials(runDir: string, record: RunRecord): TrialRecord[] {
  const trials: TrialRecord[] = [];
  for (const variant of subdirs(join(runDir, "variants"))) {
    for (const task of subdirs(join(runDir, "variants", variant, "tasks"))) {
      const trialsDir = join(runDir, "variants", variant, "tasks", task, "trials");
      for (const name of subdirs(trialsDir)) {
        const dir = join(trialsDir, name);
        const meta = readJsonSafe(join(dir, ARTIFACTS.meta));
        const parsed = meta.ok ? TrialMetaSchema.safeParse(meta.value) : null;
        if (!parsed?.success) continue;
        const metrics = readJsonSafe(join(dir, ARTIFACTS.metrics));
        trials.push({
          meta: parsed.data,
          metrics: metrics.ok && isRecord(metrics.value) ? (metrics.value as FlatMetrics) : null,
          dir,
        });
      }
    }
  }
  const vOrder = new Map(record.variants.map((v, i) => [v.slug, i]));
  const tOrder = new Map(record.tasks.map((t, i) => [t.slug, i]));
  return trials.sort(
    (a, b) =>
      (vOrder.get(a.meta.variant) ?? 1e9) - (vOrder.get(b.meta.variant) ?? 1e9) ||
      (tOrder.get(a.meta.task) ?? 1e9) - (tOrder.get(b.meta.task) ?? 1e9) ||
      a.meta.trial - b.meta.trial,
  );
}

/** Each variant's context exactly as run.json holds it (any version's shape), by slug. */
export function rawContexts(runDir: string): Map<string, Record<string, unknown>> {
  const raw = readJsonSafe(join(runDir, ARTIFACTS.run));
  const out = new Map<string, Record<string, unknown>>();
  if (!raw.ok || !isRecord(raw.value) || !Array.isArray(raw.value.variants)) return out;
  for (const v of raw.value.variants) {
    if (isRecord(v) && typeof v.slug === "string" && isRecord(v.context)) out.set(v.slug, v.context);
  }
  return out;
}
