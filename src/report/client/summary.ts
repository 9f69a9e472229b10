// The first screen: run header, the sortable variant table, and each variant's context additions.
import * as fmt from "../../formats/numbers.ts";
import type { GroupSummary } from "../../store/summary-schema.ts";
import type { ReportData, ReportVariant } from "../types.ts";
import { append, type Child, h, section, statusBadge, truncate } from "./dom.ts";
import { aiuReported, columns } from "./variant-columns.ts";

export function renderHeader(data: ReportData, el: HTMLElement): void {
  const run = data.run;
  const o = data.overall;
  const facts: [string, Child][] = [
    ["Run", h("code", null, run.id)],
    ["Copilot", run.copilot_version || fmt.DASH],
    ["Copilot in trials", run.copilot_ran || fmt.DASH],
    ["Started", fmt.date(run.started_at)],
    ["Finished", run.finished_at ? fmt.date(run.finished_at) : "not finished"],
    ["Wall time", fmt.duration(run.started_at, run.finished_at)],
    ["Experiment file", run.experiment.file ? h("code", null, run.experiment.file) : fmt.DASH],
    ["Concurrency", run.options.concurrency ?? fmt.DASH],
    ["Sandbox", run.options.sandbox],
    ["Host", run.host || fmt.DASH],
  ];
  if (run.options.shard) facts.push(["Shard", run.options.shard]);
  if (fmt.isNum(run.options.budget_aiu)) facts.push(["AIU budget", fmt.fixed(run.options.budget_aiu)]);

  const counts = Object.entries(run.status_counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => {
      const badge = statusBadge(status);
      badge.append(" ", h("span", { class: "count" }, n));
      return badge;
    });

  const kpis = o
    ? [
        kpi(
          "Success",
          fmt.pct(o.success_rate),
          `${o.n_success} of ${o.n_graded} graded · 95% CI ${fmt.ci(o.success_ci_low, o.success_ci_high) || fmt.DASH}` +
            (o.success_ci_clustered
              ? ` · 95% CI, clustered by task ${fmt.ci(o.success_ci_clustered.low, o.success_ci_clustered.high)}`
              : ""),
        ),
        kpi(
          "Trials",
          `${run.finished}${fmt.isNum(run.planned) ? ` / ${run.planned}` : ""}`,
          fmt.isNum(run.planned) ? "recorded / planned" : "recorded",
        ),
        kpi("Not counted", String(o.n_failed_trials), "infrastructure failures"),
        data.cost_basis === "aiu"
          ? kpi("Total AIU", fmt.fixed(o.total_aiu), `${fmt.fixed(o.aiu_per_solve)} per solve`)
          : kpi("Total tokens", fmt.compact(o.total_tokens), "AIU not reported"),
        kpi(
          "Avg time",
          fmt.seconds(o.avg_duration_s),
          `${fmt.fixed(o.avg_turns, 1)} turns · ${fmt.fixed(o.avg_tool_calls, 1)} tool calls`,
        ),
      ]
    : [];

  el.replaceChildren();
  append(el, [
    data.site
      ? h(
          "div",
          { class: "eyebrow site-nav" },
          h("a", { href: data.site.index, "data-role": "site-index" }, "All runs"),
          " · ",
          h("a", { href: data.site.experiment, "data-role": "site-experiment" }, run.experiment.slug),
        )
      : h("div", { class: "eyebrow" }, `copilot-experiments report · ${run.experiment.slug}`),
    h(
      "div",
      { class: "title-row" },
      h("h1", null, run.experiment.name),
      h("span", { class: ["badge", `s-${run.status}`], id: "run-status" }, run.status),
    ),
    run.experiment.description ? h("p", { class: "description" }, run.experiment.description) : null,
    h(
      "dl",
      { class: "facts" },
      facts.map(([k, v]) => h("div", null, h("dt", null, k), h("dd", null, v))),
    ),
    counts.length ? h("div", { class: "status-counts", id: "status-counts" }, counts) : null,
    kpis.length ? h("div", { class: "kpis" }, kpis) : null,
    data.notes.length
      ? h(
          "ul",
          { class: "notes", id: "report-notes" },
          data.notes.map((n) => h("li", null, n)),
        )
      : null,
  ]);
}

export function kpi(label: string, value: string, sub: string): HTMLDivElement {
  return h(
    "div",
    { class: "kpi" },
    h("div", { class: "label" }, label),
    h("div", { class: "value" }, value),
    h("div", { class: "sub" }, sub),
  );
}

export function renderVariants(data: ReportData, el: HTMLElement): void {
  const cols = columns(data);
  const rows = data.variants.filter(
    (v): v is ReportVariant & { summary: GroupSummary } => v.summary !== null,
  );
  const hint = `Success over graded trials that ran; click a column to sort.${aiuReported(data) ? "" : " No session reported AIU, so the AIU columns are left out."}`;
  section(el, "Variants", "variants-title", h("span", { class: "muted small" }, hint));
  if (rows.length === 0) {
    el.append(h("p", { class: "muted" }, "No trial finished, so there is nothing to compare yet."));
  } else {
    const tbody = h(
      "tbody",
      null,
      rows.map((v, i) =>
        h(
          "tr",
          { "data-variant": v.slug, "data-order": i },
          cols.map((c) => {
            const value = c.key === "name" ? v.name : c.value(v.summary);
            return h(
              c.text ? "th" : "td",
              {
                class: c.text ? null : "num",
                scope: c.text ? "row" : null,
                "data-key": c.key,
                "data-value": value === null || value === undefined ? "" : value,
              },
              c.cell(v.summary, v),
            );
          }),
        ),
      ),
    );
    const table: HTMLTableElement = h("table", { class: "tbl variant-table", id: "variant-table" });
    const thead = h(
      "thead",
      null,
      h(
        "tr",
        null,
        cols.map((c, i) =>
          h(
            "th",
            {
              class: c.text ? null : "num",
              scope: "col",
              "data-sortable": true,
              "data-col": i,
              title: c.title || `Sort by ${c.label}`,
              "aria-sort": "none",
              onclick: () => sortBy(table, i, !!c.text),
            },
            c.label,
            h("span", { class: "sort-arrow" }),
          ),
        ),
      ),
    );
    table.append(thead, tbody);
    el.append(h("div", { class: "table-wrap" }, table));
  }
  el.append(h("h4", null, "Context additions"), contextList(data));
}

/** Sort the table by one column; a second click reverses. Missing values always go last. */
function sortBy(table: HTMLTableElement, col: number, isText: boolean): void {
  const headRow = table.tHead!.rows[0]!;
  const th = headRow.cells[col]!;
  const dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
  for (const cell of headRow.cells) {
    cell.setAttribute("aria-sort", "none");
    cell.querySelector(".sort-arrow")!.textContent = "";
  }
  th.setAttribute("aria-sort", dir);
  th.querySelector(".sort-arrow")!.textContent = dir === "ascending" ? "▲" : "▼";
  const sign = dir === "ascending" ? 1 : -1;
  const body = table.tBodies[0]!;
  const rows = [...body.rows];
  const key = (tr: HTMLTableRowElement) => tr.cells[col]!.getAttribute("data-value") ?? "";
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === "" || kb === "") return ka === kb ? 0 : ka === "" ? 1 : -1;
    const cmp = isText ? ka.localeCompare(kb) : Number(ka) - Number(kb);
    return cmp * sign || Number(a.dataset.order) - Number(b.dataset.order);
  });
  body.append(...rows);
}

function contextList(data: ReportData): HTMLElement {
  if (data.variants.length === 0) return h("p", { class: "muted" }, "No variants recorded.");
  return h(
    "dl",
    { class: "context-list", id: "context-list" },
    data.variants.map((v) => [
      h("dt", null, v.name),
      h(
        "dd",
        { "data-variant": v.slug },
        v.context.length
          ? v.context.map((c) =>
              h(
                "span",
                { class: "chip", title: c.value || c.key },
                c.value ? `${c.key}: ${truncate(c.value, 80)}` : c.key,
              ),
            )
          : h("span", { class: "muted" }, "none"),
      ),
    ]),
  );
}
