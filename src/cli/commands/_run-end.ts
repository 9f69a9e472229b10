import { EXIT } from "../../errors.ts";
import { renderJunit } from "../../formats/junit.ts";
import { pct } from "../../formats/numbers.ts";
import { renderSummaryMarkdown } from "../../formats/summary-markdown.ts";
import { runEndLine } from "../../render/run-end.ts";
import { renderVariantTable } from "../../render/summary.ts";
import type { RunOutcome } from "../../run/execute.ts";
import { Redactor } from "../../secrets/redact.ts";
import { artifactPath, hasArtifact, readVerify } from "../../store/artifacts.ts";
import { Problems } from "../../store/json-file.ts";
import { ARTIFACTS } from "../../store/layout.ts";
import { appendOutput, writeOutput } from "../../store/writer.ts";
import { log } from "../../util/log.ts";
import { writeStderr } from "../../util/stdio.ts";

/**
 * The end of `run`: summary table and report path per run, JUnit XML, GitHub step summary and
 * the `--fail-under` gate, all from the runs as they were finalized. Returns the exit code:
 * 4 when a run ended `failed` (no trial ran), else 1 when under `--fail-under`, else 0.
 */
export async function reportRunEnd(
  outcomes: RunOutcome[],
  opts: { junit?: string; failUnder?: number; color?: boolean },
): Promise<number> {
  let ran = 0;
  let solved = 0;
  const redactor = Redactor.union(outcomes.map((o) => o.writer.redactor));
  for (const { run, summary } of outcomes) {
    ran += summary.overall.n_graded;
    solved += summary.overall.n_success;
    writeStderr(`\n${redactor.redact(renderVariantTable(summary))}\n\n`);
    const versions = summary.copilot_versions_ran?.warning;
    if (versions) log.warn(redactor.redact(versions));
    const where = hasArtifact(run.dir, ARTIFACTS.report)
      ? `report: ${artifactPath(run.dir, ARTIFACTS.report)}`
      : `summary: ${artifactPath(run.dir, ARTIFACTS.summaryMd)}`;
    const status = run.record.status;
    const why = status === "failed" ? " (no trial ran: every one was an infrastructure failure)" : "";
    const line = `${summary.experiment_name}: run ${summary.run_id} ${status}${why} — ${where}`;
    writeStderr(`${runEndLine(status, redactor.redact(line), !!opts.color)}\n`);
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) appendOutput(stepSummary, `${renderSummaryMarkdown(summary, run.record)}\n`, redactor);
  }
  if (opts.junit) {
    const problems = new Problems("lenient");
    const xml = renderJunit(
      outcomes.map((o) => o.run),
      (t) => readVerify(t.dir, problems)?.output ?? "",
    );
    writeOutput(opts.junit, xml, redactor);
    log.info(`JUnit XML: ${opts.junit}`);
  }
  const failed = outcomes.filter((o) => o.run.record.status === "failed");
  if (failed.length > 0) {
    log.error(
      `${failed.length === 1 ? "a run" : `${failed.length} runs`} in which no trial ran (exit ${EXIT.runFailed}): see each trial's error with \`inspect\`, or run \`doctor\``,
    );
    return EXIT.runFailed;
  }
  if (opts.failUnder !== undefined) {
    const rate = ran > 0 ? solved / ran : 0;
    if (rate < opts.failUnder) {
      const gap = ((opts.failUnder - rate) * 100).toFixed(1);
      log.error(
        `success rate ${pct(rate, 1)} (${solved}/${ran} graded trials) is ${gap} points under --fail-under ${pct(opts.failUnder, 1)}`,
      );
      return EXIT.threshold;
    }
    log.info(`success rate ${pct(rate, 1)} meets --fail-under ${pct(opts.failUnder, 1)}`);
  }
  return EXIT.ok;
}
