import diff2htmlCss from "diff2html/bundles/css/diff2html.min.css" with { type: "text" };
import diff2htmlJs from "diff2html/bundles/js/diff2html-ui-base.min.js" with { type: "text" };
import charts from "./client/charts.client.js" with { type: "text" };
import dom from "./client/dom.client.js" with { type: "text" };
import main from "./client/main.client.js" with { type: "text" };
import summary from "./client/summary.client.js" with { type: "text" };
import trialDetail from "./client/trial-detail.client.js" with { type: "text" };
import trials from "./client/trials.client.js" with { type: "text" };
import css from "./report.css" with { type: "text" };

/**
 * The report's static assets, embedded into the compiled binary as text (no file is read at run
 * time). diff2html: the UI bundle without highlight.js (ADR 0003).
 */
export const ASSETS = {
  css,
  diff2htmlCss,
  diff2htmlJs,
  /** Client modules in load order: each adds to the `CXR` namespace; main renders the page. */
  client: [dom, summary, charts, trials, trialDetail, main],
} as const;
