import { join } from "node:path";
import { ARTIFACTS } from "../store/layout.ts";
import { type LoadedRun, loadRun, loadTrials } from "../store/reader.ts";
import { type RunRecord, RunRecordSchema } from "../store/schema.ts";
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
    return { dir: runDir, record, trials: loadTrials(runDir, record) };
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
