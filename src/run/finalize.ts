import { renderSummaryMarkdown } from "../formats/summary-markdown.ts";
import { indexRun } from "../index/update.ts";
import { renderReport } from "../report/write.ts";
import type { LoadedRun } from "../store/reader.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import type { RunWriter } from "../store/writer.ts";
import { summarizeRun } from "../summary/run-summary.ts";

/**
 * Everything derived from a run, from the run as it is in memory (loaded once): summary.json,
 * summary.md, report.html and the run's rows in the SQLite index. Used at the end of `run`
 * (also interrupted and partial runs), of a resume and of `merge`; safe to repeat. The index
 * comes last: when it cannot be written (exit 2, naming it), the files are already there.
 */
export function finalizeRun(
  run: LoadedRun,
  writer: RunWriter,
  opts: { indexPath: string; env: Record<string, string | undefined> },
): RunSummary {
  const summary = summarizeRun(run);
  writer.writeSummary(summary, renderSummaryMarkdown(summary, run.record));
  writer.writeReport(
    renderReport(run, summary, { reportDir: run.dir, redactor: writer.redactor, env: opts.env }),
  );
  indexRun(opts.indexPath, run, writer.redactor);
  return summary;
}
