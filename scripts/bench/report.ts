#!/usr/bin/env bun
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { buildReportData } from "../../src/report/build-data.ts";
import { renderReportHtml } from "../../src/report/html.ts";
import { writeReport } from "../../src/report/write.ts";
import { writeSyntheticRun } from "../../test/helpers/synthetic-run.ts";
/**
 * HTML report benchmark (issue 6). Writes a synthetic results tree (default 1,000 trials: 5
 * variants × 20 tasks × 10 trials, every status, ~60-line diffs, a session log and trajectory.json
 * per trial, so each trial carries its transcript) in a temporary folder, then:
 *
 * 1. report generation: `writeReport` (read the tree, build the data, render, write), median of
 *    --rounds, split into reading+building and rendering; the size of report.html;
 * 2. time to first render in headless Chromium from file://, median of --rounds fresh browser
 *    contexts: DOMContentLoaded, the summary drawn (header, variant table and charts: the
 *    `report:summary` mark), first contentful paint, and the wall time until the variant table is
 *    visible as Playwright sees it (navigation start to `isVisible`);
 * 3. opening one trial (details + diff2html) in the page.
 *
 * With --write-docs the figures replace the section "## HTML report (scripts/bench/report.ts)"
 * of docs/benchmarks.md.
 *
 *   bun scripts/bench/report.ts [--variants 5] [--tasks 20] [--trials 10] [--rounds 5] [--write-docs]
 */
import { writeBenchmarkSection } from "./_docs.ts";

// DOM globals inside page.evaluate (the project's tsconfig has no DOM lib).
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const performance: any;

const { values } = parseArgs({
  options: {
    variants: { type: "string", default: "5" },
    tasks: { type: "string", default: "20" },
    trials: { type: "string", default: "10" },
    rounds: { type: "string", default: "5" },
    "write-docs": { type: "boolean", default: false },
    /** Trials without session logs (no transcripts): the report as it was before issue 17. */
    "without-transcripts": { type: "boolean", default: false },
  },
});
const V = Number(values.variants);
const T = Number(values.tasks);
const K = Number(values.trials);
const ROUNDS = Number(values.rounds);
const CHROMIUM = "/usr/bin/chromium";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const time = <R>(fn: () => R): [R, number] => {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
};

const root = mkdtempSync(join(tmpdir(), "cx-bench-report-"));
try {
  const [runDir, treeMs] = time(() =>
    writeSyntheticRun({
      root,
      variants: V,
      tasks: T,
      trialsPerCell: K,
      seed: 1,
      diffLines: 60,
      events: !values["without-transcripts"],
    }),
  );
  const n = V * T * K;
  console.log(`synthetic tree: ${n} trials in ${ms(treeMs)}`);

  const gen: number[] = [];
  const build: number[] = [];
  const render: number[] = [];
  let out = "";
  for (let r = 0; r < ROUNDS; r++) {
    const [built, b] = time(() => buildReportData(runDir));
    const [, h] = time(() => renderReportHtml(built));
    const [path, w] = time(() => writeReport(runDir));
    out = path;
    build.push(b);
    render.push(h);
    gen.push(w);
  }
  const bytes = statSync(out).size;
  const gz = gzipSync(readFileSync(out)).length;

  const lines = [
    `- Tree: ${n} trials (${V} variants × ${T} tasks × ${K} trials, every status, ~60-line diffs${values["without-transcripts"] ? ", no session logs" : ", a transcript per trial that started"}).`,
    `- Generation (\`writeReport\`, median of ${ROUNDS}): **${ms(median(gen))}** — reading + building the data ${ms(median(build))}, rendering the HTML ${ms(median(render))}.`,
    `- report.html: **${(bytes / 1e6).toFixed(2)} MB** (${(gz / 1e6).toFixed(2)} MB gzipped), ${(bytes / n / 1000).toFixed(1)} kB per trial.`,
  ];

  if (existsSync(CHROMIUM)) {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const dcl: number[] = [];
    const summary: number[] = [];
    const fcp: number[] = [];
    const wall: number[] = [];
    const open: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`file://${out}`, { waitUntil: "commit" });
      await page.locator("#variant-table").waitFor({ state: "visible" });
      wall.push(performance.now() - started);
      await page.waitForSelector("html[data-ready='true']");
      await page.waitForLoadState("domcontentloaded");
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const mark = performance.getEntriesByName("report:summary")[0]!;
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return {
          dcl: nav.domContentLoadedEventEnd,
          summary: mark.startTime,
          fcp: paint ? paint.startTime : Number.NaN,
        };
      });
      dcl.push(t.dcl);
      summary.push(t.summary);
      fcp.push(t.fcp);
      open.push(
        await page.evaluate(() => {
          const row = document.querySelector('tr.trial-row[data-id="0"]');
          const t0 = performance.now();
          row.click();
          document.body.getBoundingClientRect();
          return performance.now() - t0;
        }),
      );
      await context.close();
    }
    await browser.close();
    lines.push(
      `- First render in headless Chromium from file:// (median of ${ROUNDS} fresh contexts, ms since navigation start): summary drawn **${ms(median(summary))}**, DOMContentLoaded ${ms(median(dcl))}, first contentful paint ${ms(median(fcp))}; variant table visible as Playwright sees it (including its own overhead) ${ms(median(wall))}.`,
      `- Opening one trial (details, turn timeline, transcript, diff2html of ~60 lines, with layout): ${ms(median(open))}.`,
    );
  } else {
    lines.push(`- Browser timings skipped: ${CHROMIUM} not found.`);
  }
  lines.push(`- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "?"}, Bun ${Bun.version}.`);
  for (const line of lines) console.log(line);
  if (values["write-docs"]) writeDocs(lines);
} finally {
  rmSync(root, { recursive: true, force: true });
}

/** Replace (or append) this benchmark's section of docs/benchmarks.md; other sections stay. */
function writeDocs(lines: string[]): void {
  writeBenchmarkSection(
    "## HTML report (scripts/bench/report.ts)",
    [
      "Generation time and size of report.html for a synthetic run, and time to first render in",
      "headless Chromium (`bun scripts/bench/report.ts --write-docs`):",
    ],
    lines,
  );
}
