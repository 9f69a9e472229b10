// Entry point of the report client: read the summary data and draw the first screen (header,
// variants, charts, trial list) at once. Trial details wait until a trial is opened.
import type { ReportData } from "../types.ts";
import { renderCharts } from "./charts.ts";
import { h } from "./dom.ts";
import { renderHeader, renderVariants } from "./summary.ts";
import { renderTrials } from "./trials.ts";

const byId = (id: string) => document.getElementById(id) as HTMLElement;

const app = byId("app");
try {
  const data = JSON.parse(byId("report-data").textContent ?? "") as ReportData;
  renderHeader(data, byId("run-header"));
  renderVariants(data, byId("variants"));
  renderCharts(data, byId("charts"));
  performance.mark("report:summary");
  renderTrials(data, byId("trials"));
  performance.mark("report:ready");
  app.setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "true";
} catch (err) {
  app.prepend(
    h(
      "div",
      { class: "load-error", role: "alert" },
      `The report could not be drawn: ${err instanceof Error ? err.message : String(err)}`,
    ),
  );
  throw err;
}
