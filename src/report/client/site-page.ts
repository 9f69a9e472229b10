// The pages of `report --site`: the index of every run of every experiment, and per experiment
// the trend of success (with its interval) and cost per variant over its runs.
import * as fmt from "../../formats/numbers.ts";
import type { SiteExperiment, SiteIndexData, SiteRun } from "../types.ts";
import { niceTicks, PALETTE } from "./charts.ts";
import { type Child, h, s, section } from "./dom.ts";
import { figure, label, svg, W } from "./svg.ts";

export function renderSitePage(
  data: SiteIndexData | SiteExperiment,
  header: HTMLElement,
  body: HTMLElement,
): void {
  if (data.page === "site-index") {
    header.append(
      h("div", { class: "eyebrow" }, "copilot-experiments · runs"),
      h("div", { class: "title-row" }, h("h1", null, data.title)),
    );
    if (data.experiments.length === 0)
      body.append(h("p", { class: "muted" }, "No run in this results folder."));
    for (const e of data.experiments) {
      const card = section(
        h("section", { class: "card", "data-experiment": e.slug }),
        e.name,
        `exp-${e.slug}`,
        h(
          "a",
          { href: e.href, "data-role": "experiment-link" },
          `Trends over ${e.runs.length} ${e.runs.length === 1 ? "run" : "runs"}`,
        ),
      );
      card.append(runTable(e.runs, true));
      body.append(card);
    }
    return;
  }
  header.append(
    h(
      "div",
      { class: "eyebrow" },
      h("a", { href: data.index, "data-role": "site-index" }, "All runs"),
      ` · ${data.experiment}`,
    ),
    h("div", { class: "title-row" }, h("h1", null, data.title)),
  );
  body.append(
    h("div", { class: "charts" }, trend(data.runs, "success"), trend(data.runs, "cost")),
    runTable(data.runs, false),
  );
}

function runTable(runs: SiteRun[], withExperiment: boolean): HTMLElement {
  const heads = ["Run", "Date", "Status", "Trials", "Success [95% CI]", "Cost", "Copilot"];
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "tbl site-runs", "data-experiment-table": withExperiment ? "index" : "experiment" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          heads.map((t, i) => h("th", { class: i === 3 || i === 5 ? "num" : null }, t)),
        ),
      ),
      h(
        "tbody",
        null,
        [...runs]
          .reverse()
          .map((r) =>
            h(
              "tr",
              { "data-run": r.run_id },
              h(
                "td",
                null,
                r.report
                  ? h("a", { href: r.report, "data-role": "run-report" }, h("code", null, r.run_id))
                  : h("code", null, r.run_id),
              ),
              h("td", null, fmt.date(r.started_at)),
              h("td", null, h("span", { class: ["badge", `s-${r.status}`] }, r.status)),
              h(
                "td",
                { class: "num" },
                `${r.trials}${fmt.isNum(r.planned) && r.planned !== r.trials ? ` / ${r.planned}` : ""}`,
              ),
              h(
                "td",
                { "data-key": "success", "data-value": r.success_rate ?? "" },
                fmt.rateWithCi(r.success_rate, r.success_ci_low, r.success_ci_high),
                r.n_graded ? h("span", { class: "muted small" }, ` ${r.n_success}/${r.n_graded}`) : null,
              ),
              h("td", { class: "num" }, cost(r)),
              h("td", null, r.copilot_version ?? fmt.DASH),
            ),
          ),
      ),
    ),
  );
}

/** `03-01 12:00` (UTC) from an ISO time. */
const when = (iso: string) => `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;

function cost(r: SiteRun): string {
  if (!fmt.isNum(r.cost_total)) return fmt.DASH;
  return r.cost_basis === "aiu" ? `${fmt.fixed(r.cost_total)} AIU` : `${fmt.compact(r.cost_total)} tokens`;
}

/** Lines per variant over the runs (oldest left): success with whiskers, or cost per trial. */
function trend(runs: SiteRun[], what: "success" | "cost"): HTMLElement {
  const aiu = runs.length > 0 && runs.every((r) => r.cost_basis === "aiu");
  const figureOf = (v: SiteRun["variants"][number]) =>
    what === "success" ? v.success_rate : aiu ? v.avg_aiu : v.avg_total_tokens;
  const slugs = [...new Set(runs.flatMap((r) => r.variants.map((v) => v.slug)))];
  const names = new Map(runs.flatMap((r) => r.variants.map((v) => [v.slug, v.name] as const)));
  const figures = runs.flatMap((r) => r.variants.map(figureOf)).filter(fmt.isNum);
  const id = what === "success" ? "trend-success" : "trend-cost";
  const title =
    what === "success" ? "Success per variant over runs" : `${aiu ? "AIU" : "Tokens"} per trial over runs`;
  const sub =
    what === "success"
      ? "Each point a run (oldest left); whiskers: 95% Wilson interval."
      : aiu
        ? "Average AIU per trial that ran."
        : "Average tokens per trial that ran (AIU not reported by every run).";
  if (figures.length === 0) return figure(id, title, sub, h("p", { class: "empty" }, "No figures yet."));
  const m = { l: 56, r: 16, t: 12, b: 34 };
  const height = 260;
  const ticks =
    what === "success" ? [0, 0.25, 0.5, 0.75, 1] : niceTicks(Math.min(...figures), Math.max(...figures));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const step = runs.length > 1 ? (W - m.l - m.r) / (runs.length - 1) : 0;
  const x = (i: number) => (runs.length > 1 ? m.l + i * step : (W + m.l - m.r) / 2);
  const y = (v: number) => height - m.b - ((v - lo) / (hi - lo || 1)) * (height - m.t - m.b);
  // Dates under the axis: every run's when they fit, else every few.
  const every = Math.max(1, Math.ceil(runs.length / 8));
  const tick = (t: number) => (what === "success" ? `${t * 100}%` : aiu ? fmt.fixed(t, 2) : fmt.compact(t));
  const axes: Child[] = [
    ...ticks.map((t) => [
      s("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y(t), y2: y(t) }),
      s("text", { class: "tick", x: m.l - 8, y: y(t) + 4, "text-anchor": "end" }, tick(t)),
    ]),
    ...runs.map((r, i) =>
      i % every === 0
        ? s(
            "text",
            { class: "tick", x: x(i), y: height - 12, "text-anchor": "middle" },
            label(when(r.started_at), 11),
          )
        : null,
    ),
  ];
  const series = slugs.map((slug, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    // Variants of one run side by side, so their intervals do not hide each other.
    const dx = (k - (slugs.length - 1) / 2) * 7;
    const pts = runs
      .map((r, i) => ({ i, r, v: r.variants.find((x) => x.slug === slug) }))
      .filter((p) => p.v && fmt.isNum(figureOf(p.v)));
    const line = pts.map((p) => `${x(p.i) + dx},${y(figureOf(p.v!)!)}`).join(" ");
    return s(
      "g",
      { "data-variant": slug, class: "trend" },
      pts.length > 1 ? s("polyline", { points: line, fill: "none", stroke: color, "stroke-width": 2 }) : null,
      pts.map((p) => {
        const v = p.v!;
        const val = figureOf(v)!;
        const tip = `${names.get(slug)} · run ${p.r.run_id}: ${what === "success" ? `${fmt.pct(val)} (${v.n_success}/${v.n_graded}), 95% CI ${fmt.ci(v.success_ci_low, v.success_ci_high)}` : tick(val)}`;
        return [
          what === "success" && fmt.isNum(v.success_ci_low) && fmt.isNum(v.success_ci_high)
            ? s("line", {
                class: "trend-ci",
                x1: x(p.i) + dx,
                x2: x(p.i) + dx,
                y1: y(v.success_ci_low),
                y2: y(v.success_ci_high),
                stroke: color,
              })
            : null,
          s(
            "circle",
            // Not the report's `.point`/`.whisker` classes: their colours would override the variant's.
            { class: "trend-point", cx: x(p.i) + dx, cy: y(val), r: 4, fill: color, "data-run": p.r.run_id },
            s("title", null, tip),
          ),
        ];
      }),
    );
  });
  const legend = h(
    "div",
    { class: "legend" },
    slugs.map((slug, k) => {
      const sw = h("span", { class: "swatch" });
      sw.style.background = PALETTE[k % PALETTE.length]!;
      return h("span", null, sw, names.get(slug) ?? slug);
    }),
  );
  return figure(id, title, sub, svg(W, height, title, axes, series), legend);
}
