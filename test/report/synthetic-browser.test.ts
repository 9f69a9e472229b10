import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { TRANSCRIPT_LIMITS } from "../../src/report/_transcript.ts";
import { writeReport } from "../../src/report/write.ts";
import { Redactor } from "../../src/secrets/redact.ts";
import { analyzeSession } from "../../src/session/analysis.ts";
import { trajectoryFromText } from "../../src/session/trajectory.ts";
import { clusterWilsonInterval, round } from "../../src/statistics/index.ts";
import { loadRun, type TrialRecord } from "../../src/store/reader.ts";
import type { RunSummary } from "../../src/store/summary-schema.ts";
import { TrialWriter } from "../../src/store/writer.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { HOSTILE, writeSyntheticRun } from "../helpers/synthetic-run.ts";
import { tempDir } from "../helpers/tmp.ts";
import {
  HAS_CHROMIUM,
  inViewport,
  launchChromium,
  type OpenedPage,
  openPage,
  readVariantTable,
  screenshotPath,
  screenshotSummary,
  summaryValue,
  trialListState,
} from "./_browser.ts";
import { expectSameCalls, logCalls, shownCalls } from "./_transcript.ts";

// A browser and a large page: generous on a loaded machine (no timing is asserted); writing the
// 1,000-trial tree with session logs takes most of the setup.
setDefaultTimeout(60_000);

// DOM globals, used inside page.evaluate callbacks (the project's tsconfig has no DOM lib).
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const getComputedStyle: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const location: any;

/**
 * The report of a synthetic 1,000-trial run (every status, hostile strings planted in names, a
 * prompt, a diff, verify output, an error and a transcript; one diff above the size limit; a
 * session log of realistic size per trial, one with a 100 kB tool output, one with a sub-agent
 * and no trajectory.json) in real Chromium.
 */

let browser: Browser;
let runDir: string;
let report: string;
let summary: RunSummary;
let trials: TrialRecord[];
let opened: OpenedPage;
const BIG_TRIAL = 1;
/** A trial whose first tool output is 100 kB, with a word found nowhere else at its end. */
let bigOutput: TrialRecord;
const NEEDLE = "needle-7f3a";
/** A trial whose log is the sub-agent fixture's, converted by the report (no trajectory.json). */
let subagentTrial: TrialRecord;
const keyOf = (t: TrialRecord) => `${t.meta.variant}/${t.meta.task}/${String(t.meta.trial).padStart(3, "0")}`;
const idOf = (t: TrialRecord) => trials.indexOf(t);

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  runDir = writeSyntheticRun({
    root: tempDir("cx-report-syn-"),
    variants: 5,
    tasks: 20,
    trialsPerCell: 10,
    seed: 3,
    diffLines: 60,
    hostile: true,
    events: true,
  });
  trials = loadRun(runDir).trials;
  const withCalls = trials.filter(
    (t, i) =>
      i > 10 &&
      t.meta.status === "ok" &&
      readFileSync(join(t.dir, "events.jsonl"), "utf8").includes("tool.execution_complete"),
  );
  [bigOutput, subagentTrial] = [withCalls[0]!, withCalls[1]!];
  await plantBigOutput(bigOutput.dir);
  await plantSubagentLog(subagentTrial.dir);
  // One diff of ~400 kB: above the 100 kB limit.
  const big = join(trials[BIG_TRIAL]!.dir, "workspace.diff");
  const chunk = readFileSync(big, "utf8");
  for (let i = 0; i < 400_000 / chunk.length; i++) appendFileSync(big, chunk);
  summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
  report = writeReport(runDir);
  browser = await launchChromium();
  opened = await openPage(browser, report);
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

/** The first tool output of the trial's log becomes 100 kB; trajectory.json is written again. */
async function plantBigOutput(dir: string) {
  const events = join(dir, "events.jsonl");
  let done = false;
  const lines = readFileSync(events, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => {
      const e = JSON.parse(line);
      if (done || e.type !== "tool.execution_complete") return line;
      done = true;
      e.data.result.content = `${"0123456789abcdef\n".repeat(6_250)}${NEEDLE}`;
      return JSON.stringify(e);
    });
  writeFileSync(events, `${lines.join("\n")}\n`);
  const analysis = JSON.parse(readFileSync(join(dir, "analysis.json"), "utf8"));
  new TrialWriter(dir, Redactor.none).writeTrajectory(
    trajectoryFromText(readFileSync(events, "utf8"), analysis),
  );
}

/** A run written before trajectory.json: the fixture's log and analysis, converted by the report. */
async function plantSubagentLog(dir: string) {
  const fixture = join(PROJECT_ROOT, "test/fixtures/sessions/subagent-reasoning/events.jsonl");
  writeFileSync(join(dir, "events.jsonl"), readFileSync(fixture, "utf8"));
  new TrialWriter(dir, Redactor.none).writeAnalysis(await analyzeSession({ eventsPath: fixture }));
  rmSync(join(dir, "trajectory.json"));
}

describe.skipIf(!HAS_CHROMIUM)("report of a synthetic 1,000-trial run in Chromium", () => {
  test("the request detector sees requests (control), and the report makes none", async () => {
    const control = join(tempDir("cx-control-"), "control.html");
    writeFileSync(
      control,
      `<img src="http://127.0.0.1:9/x.png"><script>fetch("https://example.invalid/");</script>`,
    );
    const c = await openPage(browser, control, { waitForReady: false });
    await c.page.waitForTimeout(200);
    expect(c.requests.filter((u) => !u.startsWith("file:")).sort()).toEqual([
      "http://127.0.0.1:9/x.png",
      "https://example.invalid/",
    ]);
    await c.context.close();

    expect(trials).toHaveLength(1000);
    expect(opened.requests).toEqual([opened.url]);
    expect(opened.errors).toEqual([]);
  });

  test("the header counts every status of the tree", async () => {
    const shown = await opened.page.$$eval("#status-counts [data-status]", (els) =>
      Object.fromEntries(
        els.map((e) => [e.getAttribute("data-status"), Number(e.querySelector(".count")!.textContent)]),
      ),
    );
    const expected: Record<string, number> = {};
    for (const t of trials) expected[t.meta.status] = (expected[t.meta.status] ?? 0) + 1;
    expect(Object.keys(expected)).toHaveLength(6);
    expect(shown).toEqual(expected);
    expect(await opened.page.textContent("h1")).toBe(summary.experiment_name);
  });

  test("variant table numbers equal summary.json", async () => {
    const table = await readVariantTable(opened.page);
    expect(Object.keys(table)).toEqual(summary.variants.map((v) => v.variant));
    for (const v of summary.variants) {
      const cells = table[v.variant]!;
      expect(Object.keys(cells)).toContain("total_aiu");
      for (const [key, value] of Object.entries(cells)) {
        expect({ variant: v.variant, key, value }).toEqual({
          variant: v.variant,
          key,
          value: summaryValue(v as unknown as Record<string, unknown>, key),
        });
      }
      const success = await opened.page.textContent(
        `#variant-table tr[data-variant="${v.variant}"] [data-key="success_rate"]`,
      );
      expect(success).toStartWith(`${Math.round(v.success_rate! * 100)}%`);
      expect(success).toContain(`${v.n_success}/${v.n_graded}`);
      // The interval clustered by task, labelled, from the variant's graded trials per task.
      const perTask = summary.tasks.map(({ task }) => {
        const graded = trials.filter(
          (t) =>
            t.meta.variant === v.variant &&
            t.meta.task === task &&
            (t.meta.status === "ok" || t.meta.status === "timeout") &&
            t.meta.success !== null,
        );
        return { successes: graded.filter((t) => t.meta.success).length, n: graded.length };
      });
      const c = clusterWilsonInterval(perTask)!;
      expect(cells.success_ci_clustered).toBe(`${round(c.low, 4)},${round(c.high, 4)}`);
      expect(success).toContain(
        `clustered by task [${(c.low * 100).toFixed(0)}–${(c.high * 100).toFixed(0)}%]`,
      );
    }
    const kpi = await opened.page.textContent(".kpi");
    const o = summary.overall.success_ci_clustered!;
    expect(kpi).toContain(
      `95% CI, clustered by task ${(o.low * 100).toFixed(0)}–${(o.high * 100).toFixed(0)}%`,
    );
  });

  test("clicking a column header sorts the variants, a second click reverses", async () => {
    const page = opened.page;
    const order = () =>
      page.$$eval("#variant-table tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-variant")));
    const bySuccess = [...summary.variants]
      .sort((a, b) => a.success_rate! - b.success_rate!)
      .map((v) => v.variant);
    await page.click('#variant-table th:has-text("Success")');
    expect(await order()).toEqual(bySuccess);
    expect(await page.getAttribute('#variant-table th:has-text("Success")', "aria-sort")).toBe("ascending");
    await page.click('#variant-table th:has-text("Success")');
    expect(await order()).toEqual([...bySuccess].reverse());
    await page.click('#variant-table th:has-text("Variant")');
    expect(await order()).toEqual(
      [...summary.variants].sort((a, b) => a.name.localeCompare(b.name)).map((v) => v.variant),
    );
  });

  test("four SVG charts: success with intervals, cost vs success, heat map, token mix", async () => {
    const page = opened.page;
    for (const id of ["chart-success", "chart-cost", "chart-heatmap", "chart-tokens"]) {
      expect(await page.locator(`#${id} svg`).count()).toBe(1);
    }
    expect(await page.locator("#chart-success g[data-variant] line.whisker").count()).toBe(
      3 * summary.variants.length,
    );
    expect(await page.locator("#chart-cost circle.point").count()).toBeGreaterThan(0);
    expect(await page.textContent("#chart-cost figcaption")).toContain("average AIU per trial");
    const heat = await page.$$eval("#chart-heatmap g[data-task]", (gs) =>
      gs.map((g) => [
        g.getAttribute("data-variant"),
        g.getAttribute("data-task"),
        g.getAttribute("data-rate"),
      ]),
    );
    const expected = summary.tasks.flatMap((t) =>
      summary.variants.map((v) => {
        const rate = v.tasks.find((x) => x.task === t.task)!.success_rate;
        return [v.variant, t.task, rate === null ? "" : String(rate)];
      }),
    );
    expect(heat).toEqual(expected);
    expect(await page.locator("#chart-tokens rect.tok-cache_read").count()).toBe(summary.variants.length);
  });

  test("filters by variant, task, status and result reduce the list to the matching trials", async () => {
    const page = opened.page;
    const count = (pred: (t: TrialRecord) => boolean) => trials.filter(pred).length;
    expect(await trialListState(page)).toEqual({ rows: 200, count: "1000 trials · showing 200" });
    await page.click("#show-more");
    expect((await trialListState(page)).rows).toBe(400);

    const variant = summary.variants[2]!.variant;
    await page.selectOption("#filter-variant", variant);
    const nVariant = count((t) => t.meta.variant === variant);
    expect(await trialListState(page)).toEqual({
      rows: Math.min(200, nVariant),
      count: `${nVariant} of 1000 trials${nVariant > 200 ? " · showing 200" : ""}`,
    });
    const variants = await page.$$eval("#trial-table tr.trial-row", (trs) => [
      ...new Set(trs.map((tr) => tr.getAttribute("data-variant"))),
    ]);
    expect(variants).toEqual([variant]);

    await page.selectOption("#filter-task", "task-03");
    const nTask = count((t) => t.meta.variant === variant && t.meta.task === "task-03");
    expect(await trialListState(page)).toEqual({ rows: nTask, count: `${nTask} of 1000 trials` });

    await page.selectOption("#filter-task", "");
    await page.selectOption("#filter-variant", "");
    await page.selectOption("#filter-status", "timeout");
    const nTimeout = count((t) => t.meta.status === "timeout");
    expect(await trialListState(page)).toEqual({ rows: nTimeout, count: `${nTimeout} of 1000 trials` });
    expect(
      await page.$$eval("#trial-table tr.trial-row", (trs) =>
        trs.every((tr) => tr.getAttribute("data-status") === "timeout"),
      ),
    ).toBe(true);

    await page.selectOption("#filter-status", "ok");
    await page.selectOption("#filter-result", "failed");
    const nFailed = count((t) => t.meta.status === "ok" && t.meta.success === false);
    expect((await trialListState(page)).count).toStartWith(`${nFailed} of 1000 trials`);

    await clearFilters(page);
    expect(await trialListState(page)).toEqual({ rows: 200, count: "1000 trials · showing 200" });
  });

  test("details render only when a trial is opened: diff2html, line-by-line / side-by-side", async () => {
    const page = opened.page;
    expect(await page.locator(".trial-detail").count()).toBe(0);
    expect(await page.locator(".d2h-file-wrapper").count()).toBe(0);
    const id = trials.findIndex((t) => t.meta.status === "ok" && t.meta.success === true);
    await page.click(`tr.trial-row[data-id="${id}"]`);
    const detail = page.locator(`.trial-detail[data-id="${id}"]`);
    await detail.locator(".d2h-file-wrapper").first().waitFor();
    expect(await detail.locator(".d2h-file-side-diff").count()).toBe(0);
    const files = readFileSync(join(trials[id]!.dir, "workspace.diff"), "utf8").match(
      /^diff --git /gm,
    )!.length;
    expect(await detail.locator(".d2h-file-wrapper").count()).toBe(files);
    expect(await detail.locator('[data-role="verify-output"]').textContent()).toContain("4 passed");
    const turns = JSON.parse(readFileSync(join(trials[id]!.dir, "analysis.json"), "utf8")).turns.length;
    expect(await detail.locator("table.timeline tbody tr").count()).toBe(turns);

    await detail.locator('button[data-format="side-by-side"]').click();
    expect(await detail.locator(".d2h-file-side-diff").count()).toBe(2 * files);
    expect(await detail.locator('button[data-format="side-by-side"]').getAttribute("aria-pressed")).toBe(
      "true",
    );
    await detail.screenshot({ path: screenshotPath("synthetic-trial-side-by-side.png") });
    await detail.locator('button[data-format="line-by-line"]').click();
    expect(await detail.locator(".d2h-file-side-diff").count()).toBe(0);

    // Closing removes the details again.
    await page.click(`tr.trial-row[data-id="${id}"]`);
    expect(await page.locator(`.trial-detail[data-id="${id}"]`).count()).toBe(0);
  });

  test("a diff above the limit is cut, with a note naming the full workspace.diff", async () => {
    const page = opened.page;
    await page.click(`tr.trial-row[data-id="${BIG_TRIAL}"]`);
    const note = page.locator(`.trial-detail[data-id="${BIG_TRIAL}"] [data-role="diff-truncated"]`);
    const rel = trials[BIG_TRIAL]!.dir.slice(runDir.length + 1);
    expect(await note.textContent()).toContain("Diff truncated");
    expect(await note.locator("a").textContent()).toBe(`${rel}/workspace.diff`);
    expect(await note.locator("a").getAttribute("href")).toBe(`${rel}/workspace.diff`);
    await page.click(`tr.trial-row[data-id="${BIG_TRIAL}"]`);
  });

  test("hostile strings in names, prompt, diff, verify output and error stay text", async () => {
    const page = opened.page;
    await page.click('tr.trial-row[data-id="0"]');
    const detail = page.locator('.trial-detail[data-id="0"]');
    await detail.locator(".d2h-file-wrapper").first().waitFor();
    await detail.locator("details.prompt summary").click();
    await detail.locator('button[data-format="side-by-side"]').click();
    await page.hover('tr.trial-row[data-id="0"] .error-cell');
    await page.waitForTimeout(100);
    expect(opened.dialogs).toEqual([]);
    expect(opened.errors).toEqual([]);
    const dom = await page.evaluate(() => ({
      images: document.images.length,
      scripts: document.scripts.length,
      handlers: document.querySelectorAll("[onerror],[onload],[onclick]").length,
    }));
    expect(dom).toEqual({ images: 0, scripts: 3 + 1000, handlers: 0 });
    // …and the text is there for the reader, verbatim.
    expect(
      await page.textContent(`#variant-table tr[data-variant="${summary.variants[0]!.variant}"] th`),
    ).toContain(HOSTILE);
    expect(await detail.locator('[data-role="prompt"]').textContent()).toContain(HOSTILE);
    expect(await detail.locator('[data-role="verify-output"]').textContent()).toContain(HOSTILE);
    expect(await detail.locator('[data-role="error"]').textContent()).toContain(HOSTILE);
    expect(await detail.locator(".d2h-file-name").first().textContent()).toContain(HOSTILE);
    expect(await detail.locator(".d2h-code-side-line").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(HOSTILE)]),
    );
    await page.click('tr.trial-row[data-id="0"]');
  });

  test("screenshots: summary, charts, dark mode; print hides the controls", async () => {
    const page = opened.page;
    await screenshotSummary(page, "synthetic-summary.png");
    await page.locator("#charts").screenshot({ path: screenshotPath("synthetic-charts.png") });
    const dark = await openPage(browser, report, { colorScheme: "dark" });
    expect(dark.errors).toEqual([]);
    const bg = await dark.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe("rgb(13, 17, 23)");
    await screenshotSummary(dark.page, "synthetic-dark.png");
    await dark.context.close();
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".filters").isVisible()).toBe(false);
    expect(await page.locator("#variant-table").isVisible()).toBe(true);
    await page.emulateMedia({ media: "screen" });
  });
});

/** Clears the filters (the button is disabled when none is set). */
async function clearFilters(page: OpenedPage["page"]) {
  if (await page.isEnabled("#filter-reset")) await page.click("#filter-reset");
}

describe.skipIf(!HAS_CHROMIUM)("transcripts, links and search in the 1,000-trial report", () => {
  const plain = () =>
    trials.find(
      (t, i) =>
        i > 10 &&
        t !== bigOutput &&
        t !== subagentTrial &&
        t.meta.status === "ok" &&
        readFileSync(join(t.dir, "events.jsonl"), "utf8").includes('"toolName":"bash"'),
    )!;
  const open = async (t: TrialRecord) => {
    const page = opened.page;
    const detail = page.locator(`.trial-detail[data-key="${keyOf(t)}"]`);
    if ((await detail.count()) === 0) {
      await page.evaluate(
        (hash) => {
          location.hash = hash;
        },
        `#trial=${keyOf(t)}`,
      );
      await detail.waitFor();
    }
    return detail;
  };

  test("1,000 trials with transcripts: report.html under 15 MB", () => {
    const bytes = statSync(report).size;
    expect(bytes).toBeLessThan(15_000_000);
    // Control: the transcripts are there (a report without them is about 5 MB).
    expect(bytes).toBeGreaterThan(9_000_000);
  });

  test("a trial's transcript shows every tool call of its log, arguments and output, and the final message", async () => {
    const t = plain();
    const detail = await open(t);
    expect(await detail.locator(".transcript").getAttribute("data-source")).toBe("trajectory.json");
    expectSameCalls(await shownCalls(detail), logCalls(join(t.dir, "events.jsonl")));
    const analysis = JSON.parse(readFileSync(join(t.dir, "analysis.json"), "utf8"));
    const agents = detail.locator(".tx-entry.tx-agent");
    expect(await agents.count()).toBe(analysis.turns.length);
    expect(await agents.last().locator('[data-role="message"]').textContent()).toBe(
      analysis.turns.at(-1).preview,
    );
    // Each turn's output tokens, as the analysis has them.
    const shownTokens = await agents.locator(".tx-tokens").allTextContents();
    expect(shownTokens).toEqual(
      analysis.turns.map(
        (x: { output_tokens: number }) => `${x.output_tokens.toLocaleString("en-US")} out tokens`,
      ),
    );
  });

  test("per-call limit: a 100 kB output keeps its head and tail within 2,000 characters, says its length, unfolds", async () => {
    const detail = await open(bigOutput);
    const shown = await shownCalls(detail);
    expectSameCalls(shown, logCalls(join(bigOutput.dir, "events.jsonl")));
    const first = shown[0]!;
    expect(first.output!.length).toBeLessThanOrEqual(TRANSCRIPT_LIMITS.output + 5);
    expect(first.output!.endsWith(NEEDLE)).toBe(true);
    // Longer than trajectory.json keeps (100,000): both cuts keep the head and the tail.
    expect(first.cutNote).toContain("of 106,261 characters");
    const pre = detail.locator('.tx-call [data-role="call-output"]').first();
    expect(await pre.getAttribute("class")).toContain("folded");
    await detail.locator(".tx-call .fold-toggle").first().click();
    expect(await pre.getAttribute("class")).not.toContain("folded");
    expect(await detail.locator(".transcript > p a").getAttribute("href")).toBe(
      `${bigOutput.dir.slice(runDir.length + 1)}/trajectory.json`,
    );
  });

  test("a sub-agent, reasoning, model change, error and compaction, from a log without trajectory.json", async () => {
    const detail = await open(subagentTrial);
    const tx = detail.locator(".transcript");
    expect(await tx.getAttribute("data-source")).toBe("events.jsonl");
    const fixture = join(PROJECT_ROOT, "test/fixtures/sessions/subagent-reasoning/events.jsonl");
    const shown = await shownCalls(detail);
    expectSameCalls(shown, logCalls(fixture));
    expect(await tx.locator(".tx-subagent > summary").textContent()).toBe(
      "Sub-agent Explore (model-b) · completed · 2 steps",
    );
    expect(await tx.locator(".tx-subagent .tx-call").getAttribute("data-tool")).toBe("grep");
    expect(await tx.locator('[data-role="reasoning"]').allTextContents()).toEqual([
      "The log says the import fails; an explorer can find where.",
      "Remove the import, then run the build.",
    ]);
    expect(await tx.locator(".tx-ev-model_change .tx-text").textContent()).toBe(
      "Model changed from model-a to model-c.",
    );
    expect(await tx.locator(".tx-ev-error .tx-text").textContent()).toBe(
      "Error (rate_limit): 429 Too Many Requests",
    );
    expect(await tx.locator(".tx-ev-compaction_complete .tx-text").textContent()).toBe(
      "Context compacted: 90000 → 12000 tokens.",
    );
    expect(shown.find((c) => c.tool === "bash")!.exit).toBe("exit 2");
  });

  test("a turn of the timeline links to its transcript step, which the page scrolls to", async () => {
    const t = plain();
    const detail = await open(t);
    await detail.locator("table.timeline a.turn-link").nth(1).click();
    const step = await opened.page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get("step"));
    const entry = `#t${idOf(t)}-step-${step}`;
    expect(await opened.page.getAttribute(entry, "data-turn")).toBe("2");
    expect(await opened.page.getAttribute(entry, "class")).toContain("target");
    expect(await inViewport(opened.page, entry)).toBe(true);
  });

  test("one search box: prompt, tool calls and outputs, verify output and error", async () => {
    const page = opened.page;
    await clearFilters(page);
    const read = (file: string) => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return "";
      }
    };
    // The trial's error, or an error event of its session (the sub-agent fixture has one).
    const rateLimited = trials.filter(
      (t) =>
        t.meta.error?.includes("429 Too Many Requests") ||
        read(join(t.dir, "events.jsonl")).includes("429 Too Many Requests"),
    );
    expect(rateLimited).toContain(subagentTrial);
    const expected: [string, number][] = [
      [NEEDLE, 1],
      [
        "src/new_module.py",
        trials.filter((t) => read(join(t.dir, "events.jsonl")).includes('"name":"create"')).length,
      ],
      [
        "AssertionError",
        trials.filter((t) => read(join(t.dir, "verify.json")).includes("AssertionError")).length,
      ],
      ["test_module_5.py", trials.filter((t) => t.meta.task === "task-05").length],
      ["429 too many requests", rateLimited.length],
    ];
    for (const [q, n] of expected) {
      expect(n).toBeGreaterThan(0);
      await page.fill("#trial-search", q);
      const want = `${n} of 1000 trials`;
      await page
        .waitForFunction(
          (text) => document.getElementById("trial-count")!.textContent!.startsWith(text),
          want,
          {
            timeout: 10_000,
          },
        )
        .catch(() => {});
      const count = (await page.textContent("#trial-count"))!;
      expect({ q, count: count.slice(0, want.length) }).toEqual({ q, count: want });
      expect(await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get("q"))).toBe(q);
    }
    expect(await page.getAttribute("#trial-table tr.trial-row", "data-key")).toBe(keyOf(rateLimited[0]!));
    await page.fill("#trial-search", "");
    await page.waitForFunction(() =>
      document.getElementById("trial-count")!.textContent!.startsWith("1000 trials"),
    );
  });

  test("back and forward move between the filters and open trials the reader went through", async () => {
    const page = opened.page;
    await clearFilters(page);
    const t = trials[7]!;
    const state = () =>
      page.evaluate(() => ({
        status: document.getElementById("filter-status").value,
        open: [...document.querySelectorAll(".trial-detail")].map((d) => d.getAttribute("data-key")),
      }));
    const before = await state();
    expect(before.open).not.toContain(keyOf(t));
    await page.click(`tr.trial-row[data-id="7"] td.outcome`);
    expect(await page.evaluate(() => location.hash)).toBe(`#trial=${keyOf(t)}`);
    await page.selectOption("#filter-status", t.meta.status);
    expect(await page.evaluate(() => location.hash)).toBe(`#trial=${keyOf(t)}&status=${t.meta.status}`);
    // A filter the open trial still matches keeps it open.
    expect(await state()).toEqual({ status: t.meta.status, open: [keyOf(t)] });
    await page.goBack();
    expect(await state()).toEqual({ status: "", open: [keyOf(t)] });
    await page.goBack();
    // Back to what was open before (a trial an earlier test opened, or none).
    expect(await state()).toEqual(before);
    await page.goForward();
    await page.goForward();
    expect(await state()).toEqual({ status: t.meta.status, open: [keyOf(t)] });
    // One it does not match closes it, and the URL stops naming it.
    const other = trials.find((x) => x.meta.status !== t.meta.status)!.meta.status;
    await page.selectOption("#filter-status", other);
    expect(await state()).toEqual({ status: other, open: [] });
    expect(await page.evaluate(() => location.hash)).toBe(`#status=${other}`);
    await clearFilters(page);
  });

  test("a permalink opens its trial in a fresh page, past the first 200 rows, at its step, with its filters", async () => {
    const t = trials[900]!;
    const fresh = await openPage(browser, report, {
      hash: `#trial=${keyOf(t)}&step=3&status=${t.meta.status}`,
    });
    const page = fresh.page;
    await page.locator(`.trial-detail[data-key="${keyOf(t)}"]`).waitFor();
    expect(await page.getAttribute(`tr.trial-row[data-key="${keyOf(t)}"]`, "class")).toContain("open");
    expect(await page.inputValue("#filter-status")).toBe(t.meta.status);
    expect(await inViewport(page, `#t900-step-3`)).toBe(true);
    expect(fresh.errors).toEqual([]);
    expect(fresh.requests).toEqual([fresh.url]);
    await fresh.context.close();
  });
});
