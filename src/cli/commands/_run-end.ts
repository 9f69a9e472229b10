import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT } from "../../errors.ts";
import { renderJunit } from "../../formats/junit.ts";
import { renderVariantTable } from "../../render/summary.ts";
import type { RunOutcome } from "../../run/execute.ts";
import { writeFileAtomic } from "../../store/atomic.ts";
import { ARTIFACTS } from "../../store/layout.ts";
import { loadRun } from "../../store/reader.ts";
import type { RunSummary } from "../../summary/run-summary.ts";
import { log } from "../../util/log.ts";

function verifyOutput(trialDir: string): string {
  try {
    return (
      (JSON.parse(readFileSync(join(trialDir, ARTIFACTS.verify), "utf8")) as { output?: string }).output ?? ""
    );
  } catch {
    return "";
  }
}

/**
 * The end of `run`: summary table and report path per run, JUnit XML, GitHub step summary and
 * the `--fail-under` gate. Returns the exit code.
 */
export async function reportRunEnd(
  outcomes: RunOutcome[],
  opts: { junit?: string; failUnder?: number },
): Promise<number> {
  let ran = 0;
  let solved = 0;
  for (const outcome of outcomes) {
    const summary = JSON.parse(readFileSync(join(outcome.runDir, ARTIFACTS.summary), "utf8")) as RunSummary;
    ran += summary.overall.n_graded;
    solved += summary.overall.n_success;
    process.stderr.write(`\n${renderVariantTable(summary)}\n\n`);
    const report = join(outcome.runDir, ARTIFACTS.report);
    log.success(
      `${summary.experiment_name}: run ${summary.run_id} ${outcome.record.status} — ${existsSync(report) ? `report: ${report}` : `summary: ${join(outcome.runDir, ARTIFACTS.summaryMd)}`}`,
    );
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary)
      appendFileSync(stepSummary, `${readFileSync(join(outcome.runDir, ARTIFACTS.summaryMd), "utf8")}\n`);
  }
  if (opts.junit) {
    const runs = outcomes.map((o) => loadRun(o.runDir));
    writeFileAtomic(
      opts.junit,
      renderJunit(runs, (t) => verifyOutput(t.dir)),
    );
    log.info(`JUnit XML: ${opts.junit}`);
  }
  if (opts.failUnder !== undefined) {
    const rate = ran > 0 ? solved / ran : 0;
    if (rate < opts.failUnder) {
      const gap = ((opts.failUnder - rate) * 100).toFixed(1);
      log.error(
        `success rate ${(rate * 100).toFixed(1)}% (${solved}/${ran} graded trials) is ${gap} points under --fail-under ${(opts.failUnder * 100).toFixed(1)}%`,
      );
      return EXIT.threshold;
    }
    log.info(
      `success rate ${(rate * 100).toFixed(1)}% meets --fail-under ${(opts.failUnder * 100).toFixed(1)}%`,
    );
  }
  return EXIT.ok;
}
