import { readText } from "../store/artifacts.ts";
import { ARTIFACTS } from "../store/layout.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { type CellValue, TRIAL_COLUMNS } from "./trial-columns.ts";

/**
 * `export`: one flat row per trial, columns in a stable order — the index's trial columns (meta,
 * then every flat metric), then what a spreadsheet needs to read a row on its own: the variant's
 * name, model and effort, the task's name, and the prompt.
 */

export interface ExportColumn {
  name: string;
  get(trial: TrialRecord, run: LoadedRun): CellValue;
}

function prompt(trial: TrialRecord, run: LoadedRun): string | null {
  const stored = readText(trial.dir, ARTIFACTS.prompt);
  if (stored !== null) return stored;
  const i = run.record.tasks.findIndex((t) => t.slug === trial.meta.task);
  const defs = run.record.definition;
  const list = (Array.isArray(defs.tasks) ? defs.tasks : defs.task ? [defs.task] : []) as {
    prompt?: unknown;
  }[];
  const text = list[i]?.prompt;
  return typeof text === "string" ? text : null;
}

const variantOf = (t: TrialRecord, run: LoadedRun) =>
  run.record.variants.find((v) => v.slug === t.meta.variant);

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  ...TRIAL_COLUMNS.map((c) => ({ name: c.name, get: (t: TrialRecord) => c.get(t) })),
  { name: "variant_name", get: (t, run) => variantOf(t, run)?.name ?? null },
  { name: "model", get: (t, run) => variantOf(t, run)?.model ?? null },
  { name: "reasoning_effort", get: (t, run) => variantOf(t, run)?.reasoning_effort ?? null },
  { name: "task_name", get: (t, run) => run.record.tasks.find((x) => x.slug === t.meta.task)?.name ?? null },
  { name: "prompt", get: prompt },
];

export function exportRows(run: LoadedRun): Record<string, CellValue>[] {
  return run.trials.map((t) => Object.fromEntries(EXPORT_COLUMNS.map((c) => [c.name, c.get(t, run)])));
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. Text that a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return — a prompt, an error, a name) gets a leading `'`; numbers stay numbers.
 */
export function csvField(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV with a header row and CRLF line ends (RFC 4180). */
export function toCsv(rows: readonly Record<string, CellValue>[]): string {
  const names = EXPORT_COLUMNS.map((c) => c.name);
  const lines = [names.join(","), ...rows.map((r) => names.map((n) => csvField(r[n])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

/** JSON Lines: one object per trial, keys in column order. */
export function toJsonl(rows: readonly Record<string, CellValue>[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join("");
}
