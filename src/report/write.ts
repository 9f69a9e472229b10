import { dirname, resolve } from "node:path";
import { environmentRedactor } from "../secrets/redact.ts";
import type { Skipped } from "../store/json-file.ts";
import type { LoadedRun } from "../store/reader.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import { RunWriter, writeOutput } from "../store/writer.ts";
import { type BuildOptions, buildReport, finalizedSource } from "./build-data.ts";
import { renderReportHtml } from "./html.ts";
import { loadReportSource } from "./load.ts";

/** report.html of a run just finalized, from the run in memory and its summary. */
export function renderReport(run: LoadedRun, summary: RunSummary, opts: BuildOptions = {}): string {
  return renderReportHtml(buildReport(run.dir, finalizedSource(run, summary), opts));
}

export interface WriteReportOptions extends Omit<BuildOptions, "reportDir"> {
  /** Where to write; default `<run>/report.html`. */
  out?: string;
  /** Told about each damaged file left out of the report (it also appears in its notes). */
  onSkipped?: (skipped: Skipped) => void;
}

/**
 * (Re)write a stored run's report.html and return its path (`report`): the run read leniently,
 * so interrupted, partial and damaged runs get one too; only a failure to write the file throws.
 */
export function writeReport(runDir: string, opts: WriteReportOptions = {}): string {
  const { out, onSkipped, ...build } = opts;
  const target = out ? resolve(out) : undefined;
  const source = loadReportSource(runDir);
  for (const s of source.skipped) onSkipped?.(s);
  const html = renderReportHtml(
    buildReport(runDir, source, {
      ...build,
      reportDir: target ? dirname(target) : runDir,
      artifactLinks: target ? "relative" : "run",
    }),
  );
  const redactor = environmentRedactor(opts.env ?? process.env);
  if (!target) return new RunWriter(runDir, redactor).writeReport(html);
  writeOutput(target, html, redactor);
  return target;
}
