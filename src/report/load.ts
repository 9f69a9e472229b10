import { readSummary } from "../store/artifacts.ts";
import { DamagedFileError, Problems, type Skipped } from "../store/json-file.ts";
import { type LoadedRun, loadRunLenient } from "../store/reader.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import { summarizeRun } from "../summary/run-summary.ts";

/**
 * A run as the `report` command reads it: leniently, so partial and damaged runs still get a
 * report. Missing and damaged files become notes; the summary is summary.json when it belongs
 * to the run, else recomputed from the trials.
 */

export interface ReportSource {
  run: LoadedRun | null;
  summary: RunSummary | null;
  summarySource: "summary.json" | "computed" | "none";
  /** Each variant's context as run.json holds it, when it is of another version's shape. */
  rawContexts?: Map<string, Record<string, unknown>>;
  notes: string[];
  /** The files left out, for the command to warn about. */
  skipped: Skipped[];
}

const firstLine = (text: string) => text.split("\n")[0]!.slice(0, 200);

export function loadReportSource(runDir: string): ReportSource {
  const notes: string[] = [];
  let read: ReturnType<typeof loadRunLenient>;
  try {
    read = loadRunLenient(runDir);
  } catch (err) {
    if (!(err instanceof DamagedFileError)) throw err;
    const what =
      err.reason === "missing" ? "run.json is missing" : `run.json is unreadable: ${firstLine(err.reason)}`;
    notes.push(`${what}: the report shows what the folder tells.`);
    return {
      run: null,
      summary: null,
      summarySource: "none",
      notes,
      skipped: [{ path: err.path, reason: err.reason }],
    };
  }
  const { run, skipped, rawContexts } = read;
  if (rawContexts)
    notes.push("run.json does not fully match this version's format: some run details may be missing.");
  const problems = new Problems("lenient");
  const stored = readSummary(runDir, problems);
  if (stored && stored.run_id === run.record.run_id) {
    return { run, summary: stored, summarySource: "summary.json", rawContexts, notes, skipped };
  }
  if (stored) notes.push(`summary.json belongs to run ${stored.run_id}: recomputed from the trials.`);
  else if (problems.skipped.length) {
    const reason = problems.skipped[0]!.reason;
    notes.push(
      reason.startsWith("does not match")
        ? "summary.json has an unexpected shape: recomputed from the trials."
        : `summary.json is unreadable (${firstLine(reason)}): recomputed from the trials.`,
    );
  }
  return {
    run,
    summary: summarizeRun(run),
    summarySource: "computed",
    rawContexts,
    notes,
    skipped: [...skipped, ...problems.skipped],
  };
}
