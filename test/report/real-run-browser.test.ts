import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { trialDir } from "../../src/store/layout.ts";
import type { RunSummary } from "../../src/store/summary-schema.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { COPILOT, copyExampleRoot } from "../helpers/example-root.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";
import {
  HAS_CHROMIUM,
  launchChromium,
  type OpenedPage,
  openPage,
  readVariantTable,
  screenshotPath,
  screenshotSummary,
  summaryValue,
} from "./_browser.ts";
import { expectSameCalls, lastMessage, logCalls, shownCalls } from "./_transcript.ts";

// A browser and a large page: generous on a loaded machine (no timing is asserted).
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
 * The report of one real run — the real Copilot CLI against the scripted provider, started from
 * source like a user would — and the `report` command, in real Chromium. One variant tries to
 * smuggle markup through a file name, file content, its answer and verify output, and to leak the
 * secrets planted in the run's environment.
 */

const HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(1)>";
const SECRETS = {
  HARNESS_API_KEY: "report-inherited-secret-51d3",
  PROVIDER_SECRET: "report-provider-secret-77ae",
  INTERP_SECRET: "report-interpolated-secret-0b9c",
  GITHUB_TOKEN: "github_pat_report_fake_token_2f4e",
};

const EXPERIMENT = `name: Report end to end
description: "A real run for the report tests ${HOSTILE}"
tasks:
  - name: fix-multiply
    prompt: "The multiply tests fail. Fix calculator.py. ${HOSTILE}"
    fixture: fixtures/calculator
    verify: "echo '${HOSTILE}'; python3 -m unittest -q test_calculator.MultiplyTest"
    timeout_s: 120
variants:
  - name: scripted fixer
    provider: {script: experiments/scripts/fixer.yaml}
    trials: 2
  - name: hostile agent
    provider: {script: scripts/hostile.yaml, api_key: "\${PROVIDER_SECRET}"}
    env: {VARIANT_SECRET_TOKEN: "\${INTERP_SECRET}"}
    instructions: "Prefer small diffs. ${HOSTILE}"
  - name: idle agent
    provider: {script: idle}
`;

const HOSTILE_SCRIPT = `model: scripted-hostile
steps:
  - tool: create
    args: {path: "<img src=x onerror=alert(1)>.txt", file_text: "${HOSTILE}\\n"}
  - tool: bash
    args: {command: "echo \\"K=$HARNESS_API_KEY V=$VARIANT_SECRET_TOKEN G=$GITHUB_TOKEN\\" > leak.txt", description: "try to leak"}
  - message: "Done ${HOSTILE} K=${SECRETS.HARNESS_API_KEY}"
`;

let browser: Browser;
let root: string;
let runDir: string;
let runResult: CliResult;
let summary: RunSummary;
let opened: OpenedPage;

const trialId = (variant: string) =>
  opened.page.getAttribute(`tr.trial-row[data-variant="${variant}"]`, "data-id");

beforeAll(async () => {
  root = copyExampleRoot();
  writeTree(root, { "experiments/calculator.yaml": EXPERIMENT, "scripts/hostile.yaml": HOSTILE_SCRIPT });
  runResult = await runCli(["run", "--root", root, "--copilot", COPILOT, "--concurrency", "4"], {
    env: SECRETS,
  });
  const experimentDir = join(root, "results", "report-end-to-end");
  runDir = join(experimentDir, readdirSync(experimentDir)[0]!);
  summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
  if (!HAS_CHROMIUM) return;
  browser = await launchChromium();
  opened = await openPage(browser, join(runDir, "report.html"));
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe("report of a real run", () => {
  test("every run ends with report.html next to summary.json", () => {
    expect(runResult.code).toBe(0);
    expect(summary.overall.n_trials).toBe(4);
    expect(existsSync(join(runDir, "report.html"))).toBe(true);
  });

  test("no secret planted in the run's environment reaches report.html", () => {
    const html = readFileSync(join(runDir, "report.html"), "utf8");
    for (const secret of Object.values(SECRETS))
      expect({ secret, found: html.includes(secret) }).toEqual({ secret, found: false });
  });

  test("`report --last --out FILE` writes the report elsewhere and prints its path", async () => {
    const out = join(tempDir("cx-report-out-"), "shared.html");
    const r = await runCli(["report", "--last", "--root", root, "--out", out], { env: SECRETS });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    const html = readFileSync(out, "utf8");
    for (const secret of Object.values(SECRETS)) expect(html.includes(secret)).toBe(false);
    // Links climb back to the run from where the report was written.
    expect(html.includes('"path":"../')).toBe(true);
    const byId = await runCli(["report", summary.run_id.slice(0, 12), "--root", root]);
    expect(byId.stdout).toBe(`${join(runDir, "report.html")}\n`);
  });

  test("`report` with an unknown run exits 2 with a hint, and prints nothing on stdout", async () => {
    const r = await runCli(["report", "no-such-run", "--root", root]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('no run matches "no-such-run"');
  });
});

describe.skipIf(!HAS_CHROMIUM)("report of a real run in Chromium", () => {
  test("loads from file:// with no network request and no console error", () => {
    expect(opened.requests).toEqual([opened.url]);
    expect(opened.errors).toEqual([]);
  });

  test("variant table numbers equal summary.json; context additions are listed", async () => {
    const table = await readVariantTable(opened.page);
    expect(Object.keys(table)).toEqual(summary.variants.map((v) => v.variant));
    for (const v of summary.variants) {
      for (const [key, value] of Object.entries(table[v.variant]!)) {
        expect({ key, value }).toEqual({
          key,
          value: summaryValue(v as unknown as Record<string, unknown>, key),
        });
      }
    }
    // No AIU from a BYOK-style provider: AIU columns are left out and the cost chart uses tokens.
    expect(Object.keys(table["scripted-fixer"]!)).not.toContain("avg_aiu");
    expect(await opened.page.textContent("#chart-cost figcaption")).toContain("AIU unknown");
    expect(await opened.page.textContent('#context-list dd[data-variant="hostile-agent"]')).toContain(
      "instructions: .github/copilot-instructions.md",
    );
    expect(await opened.page.textContent('#context-list dd[data-variant="idle-agent"]')).toBe("none");
  });

  test("the fixer's trial: verify output, timeline and the diff in diff2html, both layouts", async () => {
    const page = opened.page;
    const id = await trialId("scripted-fixer");
    await page.click(`tr.trial-row[data-id="${id}"]`);
    const detail = page.locator(`.trial-detail[data-id="${id}"]`);
    await detail.locator(".d2h-file-wrapper").waitFor();
    expect(await detail.locator(".d2h-file-name").textContent()).toBe("calculator.py");
    expect(await detail.locator(".d2h-ins").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("return a * b")]),
    );
    expect(await detail.locator('[data-role="verify-outcome"]').textContent()).toBe("passed");
    expect(await detail.locator("table.timeline tbody tr").count()).toBe(4);
    await detail.locator('button[data-format="side-by-side"]').click();
    expect(await detail.locator(".d2h-file-side-diff").count()).toBe(2);
    await detail.screenshot({ path: screenshotPath("real-trial.png") });
  });

  test("markup in a file name, file content, answer, prompt and verify output stays text", async () => {
    const page = opened.page;
    const id = await trialId("hostile-agent");
    await page.click(`tr.trial-row[data-id="${id}"]`);
    const detail = page.locator(`.trial-detail[data-id="${id}"]`);
    await detail.locator(".d2h-file-wrapper").first().waitFor();
    await detail.locator("details.prompt summary").click();
    await detail.locator('button[data-format="side-by-side"]').click();
    expect(await detail.locator(".d2h-file-name").allTextContents()).toEqual(
      // git puts a tab after a name with spaces in the ---/+++ lines; diff2html keeps it.
      expect.arrayContaining([expect.stringMatching(/^<img src=x onerror=alert\(1\)>\.txt\s*$/)]),
    );
    expect(await detail.locator('[data-role="verify-output"]').textContent()).toContain(HOSTILE);
    expect(await detail.locator('[data-role="prompt"]').textContent()).toContain(HOSTILE);
    expect(await detail.locator("table.timeline").textContent()).toContain(HOSTILE);
    expect(await page.textContent(".run-header .description")).toContain(HOSTILE);
    await page.waitForTimeout(100);
    expect(opened.dialogs).toEqual([]);
    expect(opened.errors).toEqual([]);
    expect(await page.evaluate(() => [document.images.length, document.scripts.length])).toEqual([0, 3 + 4]);
  });

  test("screenshots: summary, and dark mode", async () => {
    await screenshotSummary(opened.page, "real-summary.png");
    const dark = await openPage(browser, join(runDir, "report.html"), { colorScheme: "dark" });
    expect(dark.errors).toEqual([]);
    await screenshotSummary(dark.page, "real-dark.png");
    await dark.context.close();
  });

  test("a copy in an empty folder shows what the fixer did: its bash command, the output, the final message", async () => {
    const alone = join(tempDir("cx-report-alone-"), "report.html");
    copyFileSync(join(runDir, "report.html"), alone);
    const copy = await openPage(browser, alone);
    const page = copy.page;
    const row = page.locator('tr.trial-row[data-variant="scripted-fixer"]').first();
    const key = (await row.getAttribute("data-key"))!;
    await row.click();
    const detail = page.locator(`.trial-detail[data-key="${key}"]`);
    await detail.locator(".transcript").waitFor();
    const [variant, task, n] = key.split("/");
    const events = join(trialDir(runDir, variant!, task!, Number(n)), "events.jsonl");
    // Every call of the log, the bash command and its output among them, as the log has them.
    const shown = await shownCalls(detail);
    expectSameCalls(shown, logCalls(events));
    const bash = shown.find((c) => c.tool === "bash")!;
    expect(bash.command).toBe("python3 -m unittest -q test_calculator.MultiplyTest");
    expect(bash.output).toContain("OK");
    expect(bash.exit).toBe("exit 0");
    const final = await detail.locator('.tx-entry.tx-agent [data-role="message"]').last().textContent();
    expect(final).toBe(lastMessage(events));
    expect(final).toContain("it now returns `a * b`");
    // The files are out of reach from here, and the page says so.
    expect(await detail.locator(".artifact-links").getAttribute("data-reach")).toBe("no");
    expect(await detail.locator('[data-role="files-note"]').textContent()).toContain(
      "cannot be opened from here",
    );
    // The diff is in the page too.
    await detail.locator(".d2h-file-wrapper").waitFor();
    expect(await detail.locator(".d2h-file-name").textContent()).toBe("calculator.py");
    expect(copy.errors).toEqual([]);
    expect(copy.requests).toEqual([copy.url]);
    await detail.screenshot({ path: screenshotPath("real-transcript.png") });

    // Its permalink, in a fresh browser: the trial open and in view.
    const permalink: string = await page.evaluate(() => location.href);
    expect(permalink).toBe(`${copy.url}#trial=${key}`);
    const fileUrl = copy.url;
    await copy.context.close();
    const fresh = await launchChromium();
    try {
      const context = await fresh.newContext({ colorScheme: "dark" });
      const p2 = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      p2.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      p2.on("pageerror", (e) => errors.push(e.message));
      p2.on("request", (r) => requests.push(r.url()));
      await p2.goto(permalink);
      const opened2 = p2.locator(`.trial-detail[data-key="${key}"]`);
      await opened2.locator(".transcript").waitFor();
      expect(
        await opened2
          .locator('.tx-call[data-tool="bash"] [data-role="call-args"]')
          .getAttribute("data-command"),
      ).toBe("python3 -m unittest -q test_calculator.MultiplyTest");
      expect(
        await p2.evaluate((k) => {
          const r = document.querySelector(`.trial-detail[data-key="${k}"]`).getBoundingClientRect();
          return r.top < window.innerHeight && r.bottom > 0;
        }, key),
      ).toBe(true);
      expect(errors).toEqual([]);
      expect(requests).toEqual([fileUrl]);
      await opened2.screenshot({ path: screenshotPath("real-transcript-dark.png") });
    } finally {
      await fresh.close();
    }
  });
});
