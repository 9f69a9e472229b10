import { join } from "node:path";
import { ARTIFACTS } from "../results/layout.ts";
import { loadRun } from "../results/read-run.ts";
import { type RunSummary, summarizeRun } from "../results/summary.ts";
import { renderSummaryMarkdown } from "../results/summary-markdown.ts";
import { writeFileAtomic, writeJsonAtomic } from "../util/fs-atomic.ts";

/**
 * Everything derived from a run's trials: summary.json, summary.md (and the index and report).
 * Used at the end of `run`, after `merge`, and by `report`; safe to repeat.
 */
export async function finalizeRun(opts: { runDir: string; indexPath: string }): Promise<RunSummary> {
  const run = loadRun(opts.runDir);
  const summary = summarizeRun(run);
  writeJsonAtomic(join(opts.runDir, ARTIFACTS.summary), summary);
  writeFileAtomic(join(opts.runDir, ARTIFACTS.summaryMd), renderSummaryMarkdown(summary, run.record));
  return summary;
}
