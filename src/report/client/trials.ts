// The trial list: filters by variant, task, status and result, one search box, rows rendered a
// page at a time; a row opens its details (parsed from the trial's own JSON block only then).
// Filters, search and the open trial live in the URL fragment (url-state.ts): a permalink opens
// its trial in a fresh browser, and back/forward step through what the reader did.
import type { ReportData, TrialRow } from "../types.ts";
import { h, resultOf, section } from "./dom.ts";
import { matchesQuery, words } from "./search.ts";
import { stepElementId } from "./transcript-view.ts";
import { type Names, renderDetail } from "./trial-detail.ts";
import { filterOptions, NUMERIC_COLUMNS, trialHeads, trialRow } from "./trial-row.ts";
import { FILTERS, type Filter, formatHash, parseHash, trialKey, type ViewState } from "./url-state.ts";

const PAGE = 200;
const SEARCH_DELAY_MS = 200;

export function renderTrials(data: ReportData, el: HTMLElement): void {
  const names: Names = {
    variant: new Map(data.variants.map((v) => [v.slug, v.name])),
    task: new Map(data.tasks.map((t) => [t.slug, t.name])),
  };
  const byKey = new Map(data.trials.map((t) => [trialKey(t), t]));
  // The fragment's state is shown once the page has loaded (below); until then, everything.
  let state: ViewState = parseHash("");
  let lastHash: string | null = null;
  let rendered = 0;
  let matched: TrialRow[] = [];
  const count = h("span", { class: "muted small", id: "trial-count", "aria-live": "polite" });
  section(el, "Trials", "trials-title", count);
  if (data.trials.length === 0) {
    count.textContent = "0 trials";
    el.append(h("p", { class: "muted" }, "No trial has finished in this run."));
    return;
  }

  const opts = filterOptions(data, names);
  const selects = {} as Record<Filter, HTMLSelectElement>;
  const label: Record<Filter, string> = {
    variant: "Variant",
    task: "Task",
    status: "Status",
    result: "Result",
  };
  const menus = FILTERS.map((f) => {
    selects[f] = h(
      "select",
      {
        id: `filter-${f}`,
        "data-filter": f,
        onchange: () => {
          state = { ...state, filters: { ...state.filters, [f]: selects[f].value } };
          refilter(true);
        },
      },
      h("option", { value: "" }, "All"),
      opts[f].map(([value, text]) => h("option", { value }, text)),
    );
    return h("label", null, label[f], selects[f]);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = h("input", {
    type: "search",
    id: "trial-search",
    placeholder: "Search prompts, messages, tool calls, verify output, errors",
    "aria-label": "Search the trials",
    autocomplete: "off",
    spellcheck: "false",
    oninput: () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        state = { ...state, q: search.value.trim() };
        refilter(false);
      }, SEARCH_DELAY_MS);
    },
  });
  const reset = h(
    "button",
    {
      type: "button",
      id: "filter-reset",
      onclick: () => go({ ...parseHash(""), trial: state.trial, step: null }, true),
    },
    "Clear filters",
  );
  const filters = h(
    "div",
    { class: "filters", role: "search" },
    h("label", { class: "search" }, "Search", search),
    menus,
    reset,
  );

  const heads = trialHeads(data);
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
        heads.map((t, i) => h("th", { scope: "col", class: NUMERIC_COLUMNS.has(i) ? "num" : null }, t)),
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
    if (!tr || target.closest("a")) return;
    const open = tr.classList.contains("open");
    close(tr);
    if (!open) expand(tr, null);
    state = { ...state, trial: open ? null : (tr.dataset.key ?? null), step: null };
    commit(true);
  });

  const matches = (t: TrialRow, terms: string[]) => {
    const f = state.filters;
    return (
      (!f.variant || t.variant === f.variant) &&
      (!f.task || t.task === f.task) &&
      (!f.status || t.status === f.status) &&
      (!f.result || resultOf(t) === f.result) &&
      matchesQuery(data, t, terms)
    );
  };

  /** Re-filter (fresh) or append the next page. */
  function update(fresh: boolean) {
    if (fresh) {
      const terms = words(state.q);
      matched = data.trials.filter((t) => matches(t, terms));
      rendered = 0;
      tbody.replaceChildren();
    }
    const next = matched.slice(rendered, rendered + PAGE);
    tbody.append(...next.map((t) => trialRow(data, t, names)));
    rendered += next.length;
    const n = matched.length;
    count.textContent = `${n === data.trials.length ? `${n} trials` : `${n} of ${data.trials.length} trials`}${rendered < n ? ` · showing ${rendered}` : ""}`;
    const left = n - rendered;
    moreRow.hidden = left <= 0;
    more.textContent = `Show ${Math.min(PAGE, left)} more (${left} not shown)`;
    const f = state.filters;
    reset.disabled = !(f.variant || f.task || f.status || f.result || state.q);
  }

  function close(tr: HTMLTableRowElement) {
    const next = tr.nextElementSibling;
    if (next?.classList.contains("detail-row")) next.remove();
    tr.classList.remove("open");
    const button = tr.querySelector(".toggle")!;
    button.setAttribute("aria-expanded", "false");
    button.textContent = "▸";
  }

  function expand(tr: HTMLTableRowElement, step: number | null): HTMLElement {
    const id = Number(tr.dataset.id);
    const cell = h("td", { colspan: heads.length });
    tr.after(h("tr", { class: "detail-row", "data-id": id }, cell));
    tr.classList.add("open");
    const button = tr.querySelector(".toggle")!;
    button.setAttribute("aria-expanded", "true");
    button.textContent = "▾";
    const detail = renderDetail(data, data.trials[id]!, names);
    cell.append(detail);
    const target = step !== null ? document.getElementById(stepElementId(id, step)) : null;
    target?.classList.add("target");
    return target ?? tr;
  }

  /** The row of a trial, rendering pages until it shows (or pinning it when filtered out). */
  function rowOf(t: TrialRow): HTMLTableRowElement {
    const find = () => tbody.querySelector<HTMLTableRowElement>(`tr.trial-row[data-id="${t.id}"]`);
    const at = matched.indexOf(t);
    while (!find() && at >= rendered) update(false);
    let tr = find();
    if (!tr) {
      tr = trialRow(data, t, names);
      tr.classList.add("pinned");
      tbody.prepend(tr);
    }
    return tr;
  }

  /** Show a state: its filters, search and open trial (scrolled to). */
  function show(next: ViewState, scroll: boolean) {
    state = next;
    for (const f of FILTERS) {
      selects[f].value = next.filters[f];
      if (selects[f].value !== next.filters[f]) state.filters[f] = "";
    }
    search.value = next.q;
    update(true);
    for (const tr of tbody.querySelectorAll<HTMLTableRowElement>("tr.trial-row.open")) close(tr);
    const t = next.trial ? byKey.get(next.trial) : undefined;
    if (t) {
      const target = expand(rowOf(t), next.step);
      if (scroll) target.scrollIntoView({ block: next.step ? "center" : "start" });
    }
  }

  /**
   * The list after a filter or the search changed: the open trial stays open when it still
   * matches, else it is closed — so the URL never names a trial the page does not show.
   */
  function refilter(push: boolean) {
    update(true);
    const t = state.trial ? byKey.get(state.trial) : undefined;
    if (t && matched.includes(t)) expand(rowOf(t), state.step);
    else state = { ...state, trial: null, step: null };
    commit(push);
  }

  /** Record the state in the URL: a new history entry (push) or in place (typing a search). */
  function commit(push: boolean) {
    const hash = formatHash(state);
    lastHash = hash;
    if (hash === location.hash) return;
    const url = hash || `${location.pathname}${location.search}`;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function go(next: ViewState, push: boolean) {
    show(next, true);
    commit(push);
  }

  const fromLocation = () => {
    if (location.hash === lastHash) return;
    lastHash = location.hash;
    show(parseHash(location.hash), true);
  };
  window.addEventListener("popstate", fromLocation);
  window.addEventListener("hashchange", fromLocation);

  update(true);
  // A permalink's trial is drawn once the page (and its trial's JSON block) has loaded.
  if (location.hash) {
    if (document.readyState === "loading")
      document.addEventListener("DOMContentLoaded", fromLocation, { once: true });
    else fromLocation();
  }
}
