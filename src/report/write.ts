import { dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "../store/atomic.ts";
import { ARTIFACTS } from "../store/layout.ts";
import { type BuildOptions, buildReportData } from "./build-data.ts";
import { renderReportHtml } from "./html.ts";

export interface WriteReportOptions extends Omit<BuildOptions, "reportDir"> {
  /** Where to write; default `<run>/report.html`. */
  out?: string;
}

/**
 * Write a run's report.html (atomically) and return its path. Missing or damaged artifacts
 * become notes in the report, so interrupted and partial runs get one too; only a failure to
 * write the file itself throws.
 */
export function writeReport(runDir: string, opts: WriteReportOptions = {}): string {
  const out = resolve(opts.out ?? join(runDir, ARTIFACTS.report));
  const { out: _out, ...build } = opts;
  const html = renderReportHtml(buildReportData(runDir, { ...build, reportDir: dirname(out) }));
  writeFileAtomic(out, html);
  return out;
}
