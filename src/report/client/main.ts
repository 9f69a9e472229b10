// Entry point of the page client: draw the page its data block names. A run's report draws the
// first screen (header, variants, charts, trial list) at once; trial details wait until a trial
// is opened. The compare page (`compare --html`) and the site pages (`report --site`) use the
// same client, styles and formats.
import type { ComparePageData, ReportData, SiteExperiment, SiteIndexData } from "../types.ts";
import { renderCharts } from "./charts.ts";
import { renderComparePage } from "./compare-page.ts";
import { h } from "./dom.ts";
import { renderSitePage } from "./site-page.ts";
import { renderHeader, renderVariants } from "./summary.ts";
import { renderTrials } from "./trials.ts";

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const json = <T>(el: HTMLElement) => JSON.parse(el.textContent ?? "") as T;

function drawReport(block: HTMLElement): void {
  const data = json<ReportData>(block);
  renderHeader(data, byId("run-header"));
  renderVariants(data, byId("variants"));
  renderCharts(data, byId("charts"));
  performance.mark("report:summary");
  renderTrials(data, byId("trials"));
}

const app = byId("app");
try {
  const report = document.getElementById("report-data");
  const compare = document.getElementById("compare-data");
  const site = document.getElementById("site-data");
  if (report) drawReport(report);
  else if (compare) renderComparePage(json<ComparePageData>(compare), byId("page-header"), byId("page-body"));
  else if (site)
    renderSitePage(json<SiteIndexData | SiteExperiment>(site), byId("page-header"), byId("page-body"));
  performance.mark("report:ready");
  app.setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "true";
} catch (err) {
  app.prepend(
    h(
      "div",
      { class: "load-error", role: "alert" },
      `The page could not be drawn: ${err instanceof Error ? err.message : String(err)}`,
    ),
  );
  throw err;
}
