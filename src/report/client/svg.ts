// Building blocks of the report's SVG charts: the figure around a chart, the <svg> element,
// labels with their full text as a tooltip.
import type { GroupSummary } from "../../store/summary-schema.ts";
import type { ReportData, ReportVariant } from "../types.ts";
import { type Child, h, s, truncate } from "./dom.ts";

export const W = 560;

export type Summarized = ReportVariant & { summary: GroupSummary };
export const summarized = (data: ReportData) =>
  data.variants.filter((v): v is Summarized => v.summary !== null);

export function figure(
  id: string,
  title: string,
  subtitle: string | null,
  body: Child,
  legend?: Child,
): HTMLElement {
  return h(
    "figure",
    { class: "chart", id },
    h("figcaption", null, h("h3", null, title), subtitle ? h("span", { class: "muted" }, subtitle) : null),
    body,
    legend || null,
  );
}

export function svg(width: number, height: number, label: string, ...children: Child[]): SVGElement {
  return s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label },
    ...children,
  );
}

export const empty = (text: string) => h("p", { class: "empty" }, text);
export const label = (text: string, max: number): Child => [truncate(text, max), s("title", null, text)];
