// The workspace diff of a trial, drawn by diff2html (line-by-line or side-by-side), or as plain
// text when diff2html is not on the page.
import * as fmt from "../../formats/numbers.ts";
import type { TrialDetail } from "../types.ts";
import { h } from "./dom.ts";

interface Diff2HtmlUI {
  draw(): void;
}
declare global {
  interface Window {
    /** diff2html's UI bundle, inlined before the client. */
    Diff2HtmlUI?: new (
      target: HTMLElement,
      diff: string,
      options: Record<string, unknown>,
    ) => Diff2HtmlUI;
  }
}

type DiffFormat = "line-by-line" | "side-by-side";

/** `folder`: the trial folder relative to the page, or null when its files are out of reach. */
export function diff(d: TrialDetail, folder: string | null): HTMLElement {
  const wrap = h("div", { class: "diff" });
  const patch = d.diff;
  if (!patch) return h("p", { class: "muted" }, "No workspace.diff for this trial.");
  if (!patch.text.trim())
    return h("p", { class: "muted", "data-role": "empty-diff" }, "No changes in the workspace.");
  if (patch.truncated) {
    wrap.append(
      h(
        "p",
        { class: "diff-note", "data-role": "diff-truncated" },
        `Diff truncated: showing the first ${fmt.bytes(new TextEncoder().encode(patch.text).length)} of ${fmt.bytes(patch.total_bytes)} (${fmt.int(patch.total_lines)} lines). Full diff: `,
        folder === null
          ? h("code", { class: "file-unreachable" }, patch.path)
          : h("a", { href: patch.path, target: "_blank", rel: "noopener" }, patch.path),
      ),
    );
  }
  const view = h("div", { class: "diff-view" });
  const buttons = {} as Record<DiffFormat, HTMLButtonElement>;
  const draw = (format: DiffFormat) => {
    for (const [k, b] of Object.entries(buttons)) b.setAttribute("aria-pressed", String(k === format));
    drawDiff(view, patch.text, format);
  };
  buttons["line-by-line"] = h(
    "button",
    { type: "button", "data-format": "line-by-line", onclick: () => draw("line-by-line") },
    "Line by line",
  );
  buttons["side-by-side"] = h(
    "button",
    { type: "button", "data-format": "side-by-side", onclick: () => draw("side-by-side") },
    "Side by side",
  );
  wrap.append(
    h(
      "div",
      { class: "diff-toolbar" },
      h("span", { class: "muted small" }, h("code", null, "workspace.diff")),
      h(
        "div",
        { class: "segmented", role: "group", "aria-label": "Diff layout" },
        buttons["line-by-line"],
        buttons["side-by-side"],
      ),
    ),
    view,
  );
  draw("line-by-line");
  return wrap;
}

/** diff2html escapes the diff's text and file names itself; without it, a plain <pre>. */
function drawDiff(target: HTMLElement, text: string, format: DiffFormat): void {
  const UI = window.Diff2HtmlUI;
  if (typeof UI !== "function") {
    target.replaceChildren(h("pre", null, text));
    return;
  }
  const files = (text.match(/^diff --git /gm) || []).length;
  const ui = new UI(target, text, {
    outputFormat: format,
    drawFileList: files > 1,
    fileListToggle: files > 1,
    fileListStartVisible: false,
    fileContentToggle: false,
    highlight: false,
    synchronisedScroll: true,
    stickyFileHeaders: false,
    matching: "lines",
    colorScheme: "auto",
  });
  ui.draw();
}
