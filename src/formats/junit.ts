import type { LoadedRun, TrialRecord } from "../store/reader.ts";

/**
 * JUnit XML of one or more runs: a testsuite per variant, a testcase per task × trial
 * (`classname` = variant, `name` = task/trial). A failed verify is a <failure> with the verify
 * output's tail; any other non-ok status is an <error> with its reason; budget skips are
 * <skipped>. Durations in seconds.
 */

const XML_INVALID = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(text: string): string {
  return text
    .replace(XML_INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const TAIL_CHARS = 4000;

function tail(text: string): string {
  return text.length > TAIL_CHARS ? `…${text.slice(-TAIL_CHARS)}` : text;
}

interface CaseOutcome {
  xml: string;
  failure: boolean;
  error: boolean;
  skipped: boolean;
}

function testcase(trial: TrialRecord, verifyOutput: (t: TrialRecord) => string): CaseOutcome {
  const { meta } = trial;
  const attrs = `classname="${xmlEscape(meta.variant)}" name="${xmlEscape(`${meta.task}/${meta.trial}`)}" time="${meta.duration_s.toFixed(3)}"`;
  if (meta.status === "skipped") {
    return {
      xml: `    <testcase ${attrs}>\n      <skipped message="${xmlEscape(meta.error ?? "skipped")}"/>\n    </testcase>`,
      failure: false,
      error: false,
      skipped: true,
    };
  }
  if (meta.status !== "ok" && !(meta.status === "timeout" && meta.success !== null)) {
    const reason = meta.error ?? meta.status;
    return {
      xml: `    <testcase ${attrs}>\n      <error type="${meta.status}" message="${xmlEscape(reason)}">${xmlEscape(reason)}</error>\n    </testcase>`,
      failure: false,
      error: true,
      skipped: false,
    };
  }
  if (meta.success === false) {
    const message = meta.status === "timeout" ? "verify failed after a Copilot timeout" : "verify failed";
    return {
      xml: `    <testcase ${attrs}>\n      <failure type="verify" message="${message}">${xmlEscape(tail(verifyOutput(trial)))}</failure>\n    </testcase>`,
      failure: true,
      error: false,
      skipped: false,
    };
  }
  return { xml: `    <testcase ${attrs}/>`, failure: false, error: false, skipped: false };
}

export function renderJunit(runs: readonly LoadedRun[], verifyOutput: (t: TrialRecord) => string): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let time = 0;
  for (const run of runs) {
    for (const variant of run.record.variants) {
      const trials = run.trials.filter((t) => t.meta.variant === variant.slug);
      const cases = trials.map((t) => testcase(t, verifyOutput));
      const suite = {
        tests: cases.length,
        failures: cases.filter((c) => c.failure).length,
        errors: cases.filter((c) => c.error).length,
        skipped: cases.filter((c) => c.skipped).length,
        time: trials.reduce((s, t) => s + t.meta.duration_s, 0),
      };
      tests += suite.tests;
      failures += suite.failures;
      errors += suite.errors;
      skipped += suite.skipped;
      time += suite.time;
      const name = runs.length > 1 ? `${run.record.experiment.slug}/${variant.slug}` : variant.slug;
      suites.push(
        `  <testsuite name="${xmlEscape(name)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors}" skipped="${suite.skipped}" time="${suite.time.toFixed(3)}" timestamp="${xmlEscape(run.record.started_at.replace(/\.\d+Z$/, ""))}">\n` +
          `    <properties>\n      <property name="run_id" value="${xmlEscape(run.record.run_id)}"/>\n      <property name="experiment" value="${xmlEscape(run.record.experiment.name)}"/>\n      <property name="copilot_version" value="${xmlEscape(run.record.copilot.version)}"/>\n    </properties>\n` +
          `${cases.map((c) => c.xml).join("\n")}${cases.length ? "\n" : ""}  </testsuite>`,
      );
    }
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="copilot-experiments" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">\n` +
    `${suites.join("\n")}\n</testsuites>\n`
  );
}
