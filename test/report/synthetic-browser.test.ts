import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { writeReport } from "../../src/report/write.ts";
import { clusterWilsonInterval, round } from "../../src/statistics/index.ts";
import { loadRun, type TrialRecord } from "../../src/store/reader.ts";
import type { RunSummary } from "../../src/store/summary-schema.ts";
import { HOSTILE, writeSyntheticRun } from "../helpers/synthetic-run.ts";
import { tempDir } from "../helpers/tmp.ts";
import {
  HAS_CHROMIUM,
  launchChromium,
  type OpenedPage,
  openPage,
  readVariantTable,
  screenshotPath,
  screenshotSummary,
  summaryValue,
  trialListState,
} from "./_browser.ts";

// A browser and a large page: generous on a loaded machine (no timing is asserted).
setDefaultTimeout(60_000);

// DOM globals, used inside page.evaluate callbacks (the project's tsconfig has no DOM lib).
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const getComputedStyle: any;

/**
 * The report of a synthetic 1,000-trial run (every status, hostile strings planted in names, a
 * prompt, a diff, verify output and an error; one diff above the size limit) in real Chromium.
 */

let browser: Browser;
let runDir: string;
let report: string;
let summary: RunSummary;
let trials: TrialRecord[];
let opened: OpenedPage;
const BIG_TRIAL = 1;

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
  });
  trials = loadRun(runDir).trials;
  // One diff of ~400 kB: above the 100 kB limit.
  const big = join(trials[BIG_TRIAL]!.dir, "workspace.diff");
  const chunk = readFileSync(big, "utf8");
  for (let i = 0; i < 400_000 / chunk.length; i++) appendFileSync(big, chunk);
  summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
  report = writeReport(runDir);
  browser = await launchChromium();
  opened = await openPage(browser, report);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

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

    await page.click("#filter-reset");
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
