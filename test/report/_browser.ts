import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { PROJECT_ROOT } from "../helpers/cli.ts";

// DOM globals, used inside page.evaluate callbacks (the project's tsconfig has no DOM lib).
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: browser-side code
declare const getComputedStyle: any;

/**
 * Real Chromium for the report tests (Debian's package; `.ci/run` installs it). One browser per
 * test file; every page gets a fresh context that records each request, console message, page
 * error and dialog, and lets no request leave the report file.
 */

export const CHROMIUM = "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(`report browser tests skipped: ${CHROMIUM} not found (install Debian's chromium package)`);
}

export const SCREENSHOTS = join(PROJECT_ROOT, "test-artifacts", "report");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  url: string;
  /** Every request the page made (the report file itself included). */
  requests: string[];
  /** Console messages of type error, and uncaught page errors. */
  errors: string[];
  /** Messages of every dialog (alert, confirm, prompt) that opened; each is dismissed. */
  dialogs: string[];
}

export async function openPage(
  browser: Browser,
  file: string,
  opts: {
    colorScheme?: "light" | "dark";
    width?: number;
    waitForReady?: boolean;
    /** A fragment to open the page with (`#trial=…`). */
    hash?: string;
  } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1300, height: 900 },
    colorScheme: opts.colorScheme ?? "light",
    serviceWorkers: "block",
  });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  context.on("request", (r) => {
    requests.push(r.url());
  });
  await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => {
    errors.push(String(e));
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url + (opts.hash ?? ""));
  if (opts.waitForReady !== false) await page.waitForSelector("html[data-ready='true']");
  return { context, page, url, requests, errors, dialogs };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}

/** The first screen and the charts below it (header, variant table, charts), whole. */
export async function screenshotSummary(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const bottom = await page.evaluate(
    () => document.getElementById("charts")!.getBoundingClientRect().bottom + 16,
  );
  const width = page.viewportSize()!.width;
  await page.screenshot({
    path: screenshotPath(name),
    fullPage: true,
    clip: { x: 0, y: 0, width, height: bottom },
  });
}

/** The variant table as the page shows it: per variant slug, each cell's data-key → data-value. */
export function readVariantTable(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.evaluate(() => {
    const out: Record<string, Record<string, string>> = {};
    for (const tr of document.querySelectorAll("#variant-table tbody tr")) {
      const cells: Record<string, string> = {};
      for (const el of tr.querySelectorAll("[data-key]"))
        cells[el.getAttribute("data-key")!] = el.getAttribute("data-value")!;
      out[tr.dataset.variant!] = cells;
    }
    return out;
  });
}

/** Expected data-value of a variant cell, from a summary.json variant. */
export function summaryValue(v: Record<string, unknown>, key: string): string {
  const passAtK = v.pass_at_k as Record<string, number>;
  let value: unknown;
  if (key === "name") value = v.name;
  else if (key === "pass_at_k.1") value = passAtK["1"];
  else if (key === "pass_at_k.max") value = passAtK[String(Math.max(0, ...Object.keys(passAtK).map(Number)))];
  else if (key === "success_ci_clustered") {
    const c = v.success_ci_clustered as { low: number; high: number } | null;
    value = c ? `${c.low},${c.high}` : null;
  } else value = v[key];
  return value === null || value === undefined ? "" : String(value);
}

/** Whether an element is inside the viewport (at least partly). */
export function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return !!r && r.bottom > 0 && r.top < window.innerHeight;
  }, selector);
}

/** Trials shown and the count line, after the list settles. */
export async function trialListState(page: Page): Promise<{ rows: number; count: string }> {
  return page.evaluate(() => ({
    rows: document.querySelectorAll("#trial-table tr.trial-row").length,
    count: document.getElementById("trial-count")!.textContent!,
  }));
}
