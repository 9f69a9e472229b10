import diff2htmlCss from "diff2html/bundles/css/diff2html.min.css" with { type: "text" };
import diff2htmlJs from "diff2html/bundles/js/diff2html-ui-base.min.js" with { type: "text" };
import { clientBundle } from "./client-bundle.ts" with { type: "macro" };
import css from "./report.css" with { type: "text" };

/**
 * The report's static assets, embedded into the compiled binary (no file is read at run time).
 * diff2html: the UI bundle without highlight.js (ADR 0003); the client: src/report/client/,
 * bundled by the macro.
 */
export const ASSETS = {
  css,
  diff2htmlCss,
  diff2htmlJs,
  client: clientBundle(),
} as const;
