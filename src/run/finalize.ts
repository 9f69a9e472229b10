import { join } from "node:path";
import { renderSummaryMarkdown } from "../formats/summary-markdown.ts";
import { indexRun } from "../index/update.ts";
import { writeReport } from "../report/write.ts";
import { writeFileAtomic, writeJsonAtomic } from "../store/atomic.ts";
import { ARTIFACTS } from "../store/layout.ts";
import { loadRun } from "../store/reader.ts";
import { type RunSummary, summarizeRun } from "../summary/run-summary.ts";

/**
 * Everything derived from a run's trials: summary.json, summary.md, report.html and the run's
 * rows in the SQLite index. Used at the end of `run` (also interrupted and partial runs), after
 * `merge`, and safe to repeat.
 */
export async function finalizeRun(opts: { runDir: string; indexPath: string }): Promise<RunSummary> {
  const run = loadRun(opts.runDir);
  const summary = summarizeRun(run);
  writeJsonAtomic(join(opts.runDir, ARTIFACTS.summary), summary);
  writeFileAtomic(join(opts.runDir, ARTIFACTS.summaryMd), renderSummaryMarkdown(summary, run.record));
  writeReport(opts.runDir);
  indexRun(opts.indexPath, opts.runDir);
  return summary;
}
