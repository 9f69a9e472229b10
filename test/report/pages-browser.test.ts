import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import type { CompareResult } from "../../src/compare/result.ts";
import { writeReport } from "../../src/report/write.ts";
import { loadRun } from "../../src/store/reader.ts";
import { runCli } from "../helpers/cli.ts";
import { writeSyntheticRun } from "../helpers/synthetic-run.ts";
import { tempDir } from "../helpers/tmp.ts";
import { HAS_CHROMIUM, launchChromium, type OpenedPage, openPage, screenshotPath } from "./_browser.ts";

// One browser for the file; pages are small, the machine may be loaded (no timing is asserted).
setDefaultTimeout(60_000);

// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const document: any;

/**
 * The pages people share besides a run's report — `compare --html` and `report --site` — written
 * by the CLI from synthetic runs, checked in real Chromium like the report: no console error, no
 * request but the page itself, and every link leads to a file that exists and, for a trial link,
 * to that trial opened in its run's report. `export --format atif` of the same runs too.
 */

let root: string;
let out: string;
let runA: string;
let runB: string;
let browser: Browser;
const ID_A = "20260301T120000Z_aaaaaa";
const ID_B = "20260308T120000Z_bbbbbb";

beforeAll(async () => {
  root = tempDir("cx-pages-root-");
  out = tempDir("cx-pages-out-");
  const common = { root, experiment: "pages", variants: 2, tasks: 3, trialsPerCell: 3, events: true };
  runA = writeSyntheticRun({ ...common, seed: 11, runId: ID_A });
  runB = writeSyntheticRun({ ...common, seed: 12, runId: ID_B });
  writeSyntheticRun({
    root,
    experiment: "other",
    variants: 1,
    tasks: 2,
    trialsPerCell: 2,
    seed: 13,
    runId: "20260305T120000Z_cccccc",
  });
  // The compare page links into a run's report when that report is next to the run.
  for (const dir of [runA, runB]) writeReport(dir);
  if (HAS_CHROMIUM) browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const open = (file: string, opts: Parameters<typeof openPage>[2] = {}) => openPage(browser, file, opts);

/** Every link of a page: its target file (must exist) and fragment. */
async function linksOf(o: OpenedPage): Promise<{ file: string; hash: string }[]> {
  const hrefs: string[] = await o.page.evaluate(() =>
    [...document.querySelectorAll("a[href]")].map((a: { href: string }) => a.href),
  );
  return hrefs.map((href) => {
    const url = new URL(href);
    expect(url.protocol).toBe("file:");
    return { file: fileURLToPath(url), hash: url.hash };
  });
}

/** No console error, no request but the page itself. */
function expectQuiet(o: OpenedPage) {
  expect(o.errors).toEqual([]);
  expect(o.requests).toEqual([o.url]);
  expect(o.dialogs).toEqual([]);
}

describe("compare --html and report --site from the CLI", () => {
  test("compare A B --html writes a page holding compare's own result", async () => {
    const page = join(out, "compare.html");
    const r = await runCli(["compare", ID_A, ID_B, "--root", root, "--html", page, "--json"]);
    expect(r.code).toBe(0);
    expect(existsSync(page)).toBe(true);
    const printed = JSON.parse(r.stdout) as CompareResult;
    const html = readFileSync(page, "utf8");
    const data = JSON.parse(
      html.match(/<script type="application\/json" id="compare-data">([\s\S]*?)<\/script>/)![1]!,
    );
    expect(data.result).toEqual(printed);
  });

  test("report --site writes the same bytes twice", async () => {
    const a = join(out, "site");
    const b = join(out, "site-again");
    for (const dir of [a, b]) {
      const r = await runCli(["report", "--site", dir, "--root", root]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${join(dir, "index.html")}\n`);
    }
    const files = (dir: string) =>
      (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".html")).sort();
    expect(files(a)).toEqual([
      "index.html",
      "other/20260305T120000Z_cccccc/report.html",
      "other/index.html",
      "pages/20260301T120000Z_aaaaaa/report.html",
      "pages/20260308T120000Z_bbbbbb/report.html",
      "pages/index.html",
    ]);
    for (const f of files(a))
      expect({ f, same: readFileSync(join(a, f)).equals(readFileSync(join(b, f))) }).toEqual({
        f,
        same: true,
      });
  });

  test("export --format atif writes each trial's trajectory.json", async () => {
    const dir = join(out, "atif");
    const r = await runCli(["export", ID_A, "--root", root, "--format", "atif", "--out", dir]);
    expect(r.code).toBe(0);
    // Trials that never started have no session log, hence no trajectory.
    const all = loadRun(runA).trials;
    const trials = all.filter((t) => existsSync(join(t.dir, "events.jsonl")));
    expect(trials.length).toBeGreaterThan(all.length / 2);
    for (const t of all) expect(existsSync(join(t.dir, "trajectory.json"))).toBe(trials.includes(t));
    const written = (readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
      f.endsWith("trajectory.json"),
    );
    expect(written.length).toBe(trials.length);
    for (const t of trials) {
      const rel = join(t.meta.variant, t.meta.task, String(t.meta.trial).padStart(3, "0"));
      // The trial's own trajectory.json, plus which trial it is.
      const exported = JSON.parse(readFileSync(join(dir, rel, "trajectory.json"), "utf8"));
      const stored = JSON.parse(readFileSync(join(t.dir, "trajectory.json"), "utf8"));
      const { trial, ...extra } = exported.extra;
      expect({ ...exported, extra }).toEqual(stored);
      expect(trial).toEqual({
        experiment: "pages",
        run_id: ID_A,
        variant: t.meta.variant,
        task: t.meta.task,
        trial: t.meta.trial,
        status: t.meta.status,
        success: t.meta.success,
      });
    }
    const lines = await runCli(["export", ID_A, "--root", root, "--format", "atif"]);
    expect(lines.code).toBe(0);
    expect(lines.stdout.trimEnd().split("\n").length).toBe(trials.length);
    expect(JSON.parse(lines.stdout.split("\n")[0]!).schema_version).toBe("ATIF-v1.7");
  });
});

describe.skipIf(!HAS_CHROMIUM)("compare and site pages in Chromium", () => {
  test("the compare page: verdict, per-task table, links that open each trial in its run's report", async () => {
    const o = await open(join(out, "compare.html"));
    expectQuiet(o);
    const data = JSON.parse(
      readFileSync(join(out, "compare.html"), "utf8").match(
        /<script type="application\/json" id="compare-data">([\s\S]*?)<\/script>/,
      )![1]!,
    );
    const result = data.result as CompareResult;
    expect(await o.page.locator("section.compare-pair").count()).toBe(result.comparisons.length);
    expect(await o.page.textContent("#compare-verdict")).toBe(
      result.regression ? "regression" : "no regression",
    );
    const first = result.comparisons[0]!;
    const rows = o.page.locator('section.compare-pair[data-pair="0"] table tbody tr[data-task]');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-task")))).toEqual(
      first.tasks.map((t) => t.task),
    );
    // One mark per trial of each side, each a link into its run's report.
    const trialsA = loadRun(runA).trials.filter((t) => t.meta.variant === first.a.variant);
    const marks = o.page.locator(
      'section.compare-pair[data-pair="0"] td[data-side="a"] a[data-role="trial-link"]',
    );
    expect(await marks.count()).toBe(
      trialsA.filter((t) => first.tasks.some((x) => x.task === t.meta.task)).length,
    );

    const links = await linksOf(o);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links)
      expect({ file: l.file, exists: existsSync(l.file) }).toEqual({ file: l.file, exists: true });
    const reports = new Set(links.map((l) => l.file));
    expect([...reports].sort()).toEqual([join(runA, "report.html"), join(runB, "report.html")]);

    // A trial link opens that trial in a fresh page of its run's report.
    const href = (await marks.first().getAttribute("href"))!;
    const key = decodeURIComponent(href.split("#trial=")[1]!);
    const target = await open(join(runA, "report.html"), { hash: `#trial=${key}` });
    await target.page.locator(`.trial-detail[data-key="${key}"]`).waitFor();
    expectQuiet(target);
  });

  test("the site: every page quiet, every link to a page of the site or a trial of a run", async () => {
    const site = join(out, "site");
    const seen = new Set<string>();
    const queue = [join(site, "index.html")];
    while (queue.length) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const o = await open(file);
      expectQuiet(o);
      for (const l of await linksOf(o)) {
        expect({ link: l.file, exists: existsSync(l.file) }).toEqual({ link: l.file, exists: true });
        expect(l.file.startsWith(site)).toBe(true);
        if (l.file.endsWith("index.html")) queue.push(l.file);
      }
      await o.context.close();
    }
    expect(seen.size).toBe(3);
  });

  test("the site's index lists every run; an experiment's page draws a trend per variant over its runs", async () => {
    const o = await open(join(out, "site", "index.html"));
    const runs = await o.page.$$eval("tr[data-run]", (els) => els.map((e) => e.getAttribute("data-run")));
    // Experiments by slug, each one's newest run first.
    expect(runs).toEqual(["20260305T120000Z_cccccc", ID_B, ID_A]);
    // A run's success as its summary has it.
    const summary = JSON.parse(readFileSync(join(runB, "summary.json"), "utf8"));
    expect(
      Number(
        await o.page.getAttribute(
          'tr[data-run="20260308T120000Z_bbbbbb"] [data-key="success"]',
          "data-value",
        ),
      ),
    ).toBeCloseTo(summary.overall.success_rate, 12);
    const e = await open(join(out, "site", "pages", "index.html"));
    expectQuiet(e);
    // Per variant, a point per run (oldest first), each saying its run's successes as summary.json has them.
    const summaries = [runA, runB].map((d) => JSON.parse(readFileSync(join(d, "summary.json"), "utf8")));
    for (const v of summaries[0].variants) {
      const points = e.page.locator(`#trend-success g.trend[data-variant="${v.variant}"] circle.trend-point`);
      expect(await points.evaluateAll((els) => els.map((x) => x.getAttribute("data-run")))).toEqual(
        summaries.map((s) => s.run_id),
      );
      const tips = await points.evaluateAll((els) => els.map((x) => x.textContent));
      summaries.forEach((s, i) => {
        const sv = s.variants.find((x: { variant: string }) => x.variant === v.variant);
        expect(tips[i]).toContain(`(${sv.n_success}/${sv.n_graded})`);
      });
      expect(
        await e.page.locator(`#trend-cost g.trend[data-variant="${v.variant}"] circle.trend-point`).count(),
      ).toBe(2);
    }
  });

  test("screenshots, light and dark: compare page, site index, an experiment's trends", async () => {
    for (const scheme of ["light", "dark"] as const) {
      for (const [name, file] of [
        ["compare", join(out, "compare.html")],
        ["site-index", join(out, "site", "index.html")],
        ["site-experiment", join(out, "site", "pages", "index.html")],
      ] as const) {
        const o = await open(file, { colorScheme: scheme });
        expectQuiet(o);
        await o.page.screenshot({ path: screenshotPath(`${name}-${scheme}.png`), fullPage: true });
        await o.context.close();
      }
    }
  });
});
