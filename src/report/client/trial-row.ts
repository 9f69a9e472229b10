// One line of the trial list, and the filter menus above it.
import * as fmt from "../../formats/numbers.ts";
import type { ReportData, TrialRow } from "../types.ts";
import { type Child, h, RESULT_LABEL, resultBadge, resultOf, STATUS_LABEL, statusBadge } from "./dom.ts";
import type { Names } from "./trial-detail.ts";
import { type Filter, trialHref, trialKey } from "./url-state.ts";

export function trialHeads(data: ReportData): string[] {
  const costLabel = data.cost_basis === "aiu" ? "AIU" : "Tokens";
  return ["", "Variant", "Task", "#", "Outcome", "Time", costLabel, "Turns", "Tools", "Diff", "Error"];
}
export const NUMERIC_COLUMNS = new Set([3, 5, 6, 7, 8, 9]);

export function trialRow(data: ReportData, t: TrialRow, names: Names): HTMLTableRowElement {
  const cost = data.cost_basis === "aiu" ? fmt.fixed(t.aiu) : fmt.compact(t.total_tokens);
  const diff =
    fmt.isNum(t.diff_added) || fmt.isNum(t.diff_removed)
      ? `+${t.diff_added ?? 0} −${t.diff_removed ?? 0}`
      : fmt.DASH;
  const tools = fmt.isNum(t.n_tool_calls)
    ? `${t.n_tool_calls}${t.n_tool_failures ? ` (${t.n_tool_failures} failed)` : ""}`
    : fmt.DASH;
  const key = trialKey(t);
  return h(
    "tr",
    {
      class: "trial-row",
      "data-id": t.id,
      "data-key": key,
      "data-variant": t.variant,
      "data-task": t.task,
      "data-status": t.status,
      "data-result": resultOf(t),
    },
    h(
      "td",
      null,
      h(
        "button",
        { type: "button", class: "toggle", "aria-expanded": "false", "aria-label": "Show details" },
        "▸",
      ),
    ),
    h("td", null, names.variant.get(t.variant) || t.variant),
    h("td", null, names.task.get(t.task) || t.task),
    h(
      "td",
      { class: "num" },
      h(
        "a",
        { href: trialHref(key), class: "row-link", title: "Link to this trial" },
        String(t.trial).padStart(3, "0"),
      ),
    ),
    h("td", { class: "outcome" }, outcome(t)),
    h("td", { class: "num" }, fmt.seconds(t.duration_s)),
    h("td", { class: "num" }, cost),
    h("td", { class: "num" }, fmt.isNum(t.n_turns) ? String(t.n_turns) : fmt.DASH),
    h("td", { class: "num" }, tools),
    h("td", { class: "num mono" }, diff),
    h("td", { class: "error-cell" }, t.error ? h("div", { title: t.error }, t.error) : null),
  );
}

/** The result for trials that ran normally; the status (and any verify result) otherwise. */
function outcome(t: TrialRow): Child[] {
  const parts: (HTMLElement | null)[] =
    t.status === "ok"
      ? [resultBadge(t)]
      : [statusBadge(t.status), t.success === null ? null : resultBadge(t)];
  if (t.flaky)
    parts.push(
      h("span", { class: "badge s-timeout", title: "verify gave different outcomes when repeated" }, "flaky"),
    );
  return parts.filter((b): b is HTMLElement => b !== null).flatMap((b, i) => (i ? [" ", b] : [b]));
}

/** The options of each filter menu: values in their natural order, with their counts. */
export function filterOptions(data: ReportData, names: Names): Record<Filter, (readonly [string, string])[]> {
  const tally = (key: (t: TrialRow) => string) => {
    const m = new Map<string, number>();
    for (const t of data.trials) m.set(key(t), (m.get(key(t)) || 0) + 1);
    return m;
  };
  const options = (m: Map<string, number>, order: string[], label: (value: string) => string) =>
    [
      ...order.filter((k) => m.has(k)).map((k) => [k, m.get(k)!] as const),
      ...[...m].filter(([k]) => !order.includes(k)),
    ].map(([value, n]) => [value, `${label(value)} (${n})`] as const);
  return {
    variant: options(
      tally((t) => t.variant),
      data.variants.map((v) => v.slug),
      (v) => names.variant.get(v) || v,
    ),
    task: options(
      tally((t) => t.task),
      data.tasks.map((t) => t.slug),
      (t) => names.task.get(t) || t,
    ),
    status: options(
      tally((t) => t.status),
      Object.keys(STATUS_LABEL),
      (s) => STATUS_LABEL[s as keyof typeof STATUS_LABEL] || s,
    ),
    result: options(
      tally(resultOf),
      Object.keys(RESULT_LABEL),
      (r) => RESULT_LABEL[r as keyof typeof RESULT_LABEL],
    ),
  };
}
