// The trial list: filters by variant, task, status and result; rows rendered a page at a time;
// a row opens its details (parsed from the trial's own JSON block only then).
import * as fmt from "../../formats/numbers.ts";
import type { ReportData, TrialRow } from "../types.ts";
import {
  type Child,
  h,
  RESULT_LABEL,
  resultBadge,
  resultOf,
  STATUS_LABEL,
  section,
  statusBadge,
} from "./dom.ts";
import { type Names, renderDetail } from "./trial-detail.ts";

const PAGE = 200;

type Filter = "variant" | "task" | "status" | "result";

export function renderTrials(data: ReportData, el: HTMLElement): void {
  const names: Names = {
    variant: new Map(data.variants.map((v) => [v.slug, v.name])),
    task: new Map(data.tasks.map((t) => [t.slug, t.name])),
  };
  const state = {
    filters: { variant: "", task: "", status: "", result: "" } as Record<Filter, string>,
    rendered: 0,
    matched: [] as TrialRow[],
  };
  const count = h("span", { class: "muted small", id: "trial-count", "aria-live": "polite" });
  section(el, "Trials", "trials-title", count);
  if (data.trials.length === 0) {
    count.textContent = "0 trials";
    el.append(h("p", { class: "muted" }, "No trial has finished in this run."));
    return;
  }

  const tally = (key: (t: TrialRow) => string) => {
    const m = new Map<string, number>();
    for (const t of data.trials) m.set(key(t), (m.get(key(t)) || 0) + 1);
    return m;
  };
  const options = (m: Map<string, number>, label: (value: string) => string) =>
    [...m].map(([value, n]) => [value, `${label(value)} (${n})`] as const);
  const ordered = (m: Map<string, number>, order: string[]) =>
    new Map([
      ...order.filter((k) => m.has(k)).map((k) => [k, m.get(k)!] as const),
      ...[...m].filter(([k]) => !order.includes(k)),
    ]);

  const filter = (name: Filter, label: string, opts: (readonly [string, string])[]) =>
    h(
      "label",
      null,
      label,
      h(
        "select",
        {
          id: `filter-${name}`,
          "data-filter": name,
          onchange: (e: Event) => {
            state.filters[name] = (e.target as HTMLSelectElement).value;
            update(true);
          },
        },
        h("option", { value: "" }, "All"),
        opts.map(([value, text]) => h("option", { value }, text)),
      ),
    );
  const reset = h(
    "button",
    { type: "button", id: "filter-reset", onclick: () => resetFilters() },
    "Clear filters",
  );
  const filters = h(
    "div",
    { class: "filters", role: "search" },
    filter(
      "variant",
      "Variant",
      options(
        ordered(
          tally((t) => t.variant),
          data.variants.map((v) => v.slug),
        ),
        (v) => names.variant.get(v) || v,
      ),
    ),
    filter(
      "task",
      "Task",
      options(
        ordered(
          tally((t) => t.task),
          data.tasks.map((t) => t.slug),
        ),
        (t) => names.task.get(t) || t,
      ),
    ),
    filter(
      "status",
      "Status",
      options(
        ordered(
          tally((t) => t.status),
          Object.keys(STATUS_LABEL),
        ),
        (s) => STATUS_LABEL[s as keyof typeof STATUS_LABEL] || s,
      ),
    ),
    filter(
      "result",
      "Result",
      options(
        ordered(tally(resultOf), Object.keys(RESULT_LABEL)),
        (r) => RESULT_LABEL[r as keyof typeof RESULT_LABEL],
      ),
    ),
    reset,
  );

  const costLabel = data.cost_basis === "aiu" ? "AIU" : "Tokens";
  const heads = ["", "Variant", "Task", "#", "Outcome", "Time", costLabel, "Turns", "Tools", "Diff", "Error"];
  const numeric = new Set([3, 5, 6, 7, 8, 9]);
  const tbody = h("tbody");
  const table = h(
    "table",
    { class: "tbl trial-table", id: "trial-table" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        heads.map((t, i) => h("th", { scope: "col", class: numeric.has(i) ? "num" : null }, t)),
      ),
    ),
    tbody,
  );
  const more = h("button", { type: "button", id: "show-more", onclick: () => update(false) });
  const moreRow = h("div", { class: "more-row" }, more);
  el.append(filters, h("div", { class: "table-wrap" }, table), moreRow);
  tbody.addEventListener("click", (e) => {
    const target = e.target as Element;
    const tr = target.closest<HTMLTableRowElement>("tr.trial-row");
    if (tr && !target.closest("a")) toggle(tr);
  });

  function resetFilters() {
    for (const sel of filters.querySelectorAll("select")) sel.value = "";
    state.filters = { variant: "", task: "", status: "", result: "" };
    update(true);
  }

  function matches(t: TrialRow) {
    const f = state.filters;
    return (
      (!f.variant || t.variant === f.variant) &&
      (!f.task || t.task === f.task) &&
      (!f.status || t.status === f.status) &&
      (!f.result || resultOf(t) === f.result)
    );
  }

  /** Re-filter (fresh) or append the next page. */
  function update(fresh: boolean) {
    if (fresh) {
      state.matched = data.trials.filter(matches);
      state.rendered = 0;
      tbody.replaceChildren();
    }
    const next = state.matched.slice(state.rendered, state.rendered + PAGE);
    tbody.append(...next.map(row));
    state.rendered += next.length;
    const n = state.matched.length;
    count.textContent = `${n === data.trials.length ? `${n} trials` : `${n} of ${data.trials.length} trials`}${state.rendered < n ? ` · showing ${state.rendered}` : ""}`;
    const left = n - state.rendered;
    moreRow.hidden = left <= 0;
    more.textContent = `Show ${Math.min(PAGE, left)} more (${left} not shown)`;
    const f = state.filters;
    reset.disabled = !(f.variant || f.task || f.status || f.result);
  }

  function row(t: TrialRow) {
    const cost = data.cost_basis === "aiu" ? fmt.fixed(t.aiu) : fmt.compact(t.total_tokens);
    const diff =
      fmt.isNum(t.diff_added) || fmt.isNum(t.diff_removed)
        ? `+${t.diff_added ?? 0} −${t.diff_removed ?? 0}`
        : fmt.DASH;
    const tools = fmt.isNum(t.n_tool_calls)
      ? `${t.n_tool_calls}${t.n_tool_failures ? ` (${t.n_tool_failures} failed)` : ""}`
      : fmt.DASH;
    return h(
      "tr",
      {
        class: "trial-row",
        "data-id": t.id,
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
      h("td", { class: "num" }, String(t.trial).padStart(3, "0")),
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
        h(
          "span",
          { class: "badge s-timeout", title: "verify gave different outcomes when repeated" },
          "flaky",
        ),
      );
    return parts.filter((b): b is HTMLElement => b !== null).flatMap((b, i) => (i ? [" ", b] : [b]));
  }

  function toggle(tr: HTMLTableRowElement) {
    const id = Number(tr.dataset.id);
    const button = tr.querySelector(".toggle")!;
    const next = tr.nextElementSibling;
    if (next?.classList.contains("detail-row")) {
      next.remove();
      tr.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.textContent = "▸";
      return;
    }
    const cell = h("td", { colspan: heads.length });
    tr.after(h("tr", { class: "detail-row", "data-id": id }, cell));
    tr.classList.add("open");
    button.setAttribute("aria-expanded", "true");
    button.textContent = "▾";
    cell.append(renderDetail(data, data.trials[id]!, names));
  }

  update(true);
}
