// DOM helpers for report.html. Every string from the data reaches the page as a text node or an
// attribute value set through the DOM API, never as markup.
import type { TrialStatus } from "../../store/schema.ts";
import type { TrialRow } from "../types.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

/** What an element may contain: nodes, text, numbers; nothing for null, undefined and false. */
export type Child = Node | string | number | null | undefined | false | Child[];
/** Attributes: `class` may be a list, `on…` takes a function, `text` sets the text. */
export type Attrs = Record<string, unknown> | null;

export function append<E extends Element>(el: E, children: Child[]): E {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (typeof child === "string" || typeof child === "number")
      el.appendChild(document.createTextNode(String(child)));
    else el.appendChild(child);
  }
  return el;
}

function setAttrs<E extends Element>(el: E, attrs: Attrs): E {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") el.textContent = String(value);
    else if (name === "class")
      el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : String(value));
    else if (name.startsWith("on") && typeof value === "function")
      el.addEventListener(name.slice(2), value as EventListener);
    else if (name.startsWith("on")) throw new Error(`refusing a string event handler: ${name}`);
    else if (name === "href") el.setAttribute("href", safeHref(value));
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  return el;
}

/** An element: h("td", { class: "num", "data-value": 3 }, "3"). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return append(setAttrs(document.createElement(tag), attrs ?? null), children);
}

/** An SVG element. */
export function s(tag: string, attrs?: Attrs, ...children: Child[]): SVGElement {
  return append(setAttrs(document.createElementNS(SVG_NS, tag) as SVGElement, attrs ?? null), children);
}

/**
 * Relative paths only (built by the report from slugs), each segment percent-encoded, with an
 * optional fragment (the page's own state, already encoded by url-state.ts).
 */
export function safeHref(path: unknown): string {
  const text = String(path);
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith("/") || text.startsWith("\\")) return "#";
  const hash = text.indexOf("#");
  const file = hash === -1 ? text : text.slice(0, hash);
  const fragment = hash === -1 ? "" : text.slice(hash);
  if (file === "") return fragment || "#";
  return (
    file
      .split("/")
      .map((seg) => (seg === ".." || seg === "." ? seg : encodeURIComponent(seg)))
      .join("/") + fragment
  );
}

export function truncate(text: unknown, max: number): string {
  const t = String(text);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export const STATUS_LABEL: Record<TrialStatus, string> = {
  ok: "ok",
  copilot_failed: "copilot failed",
  timeout: "timeout",
  harness_error: "harness error",
  interrupted: "interrupted",
  skipped: "skipped",
};

export function statusBadge(status: string): HTMLSpanElement {
  return h(
    "span",
    { class: ["badge", `s-${status}`], "data-status": status },
    STATUS_LABEL[status as TrialStatus] || String(status),
  );
}

export type Result = "passed" | "failed" | "ungraded" | "none";

/** passed / failed / not graded / did not run. */
export function resultOf(row: Pick<TrialRow, "success" | "status">): Result {
  if (row.success === true) return "passed";
  if (row.success === false) return "failed";
  return row.status === "ok" ? "ungraded" : "none";
}

export const RESULT_LABEL: Record<Result, string> = {
  passed: "passed",
  failed: "failed",
  ungraded: "not graded",
  none: "did not run",
};

export function resultBadge(row: Pick<TrialRow, "success" | "status">): HTMLSpanElement {
  const r = resultOf(row);
  return h("span", { class: ["badge", `r-${r}`], "data-result": r }, RESULT_LABEL[r]);
}

export function section<E extends HTMLElement>(el: E, title: string, id: string, ...rest: Child[]): E {
  el.replaceChildren(h("header", null, h("h2", { id }, title), ...rest));
  return el;
}
