// The page of `compare --html`: for each pair of variants the gate's decision, success over the
// tasks with its interval and tests, each task side by side with its trials (each linking into
// its run's report), and the cost and token ratios. Figures are compare's own result.
import type { RatioComparison, VariantComparison } from "../../compare/result.ts";
import * as fmt from "../../formats/numbers.ts";
import type { ComparePageData, CompareTrial, PageRun } from "../types.ts";
import { append, type Child, h, section } from "./dom.ts";
import { kpi } from "./summary.ts";

const METRIC: Record<string, string> = {
  aiu: "AIU",
  total_tokens: "Total tokens",
  output_tokens: "Output tokens",
};

export function renderComparePage(data: ComparePageData, header: HTMLElement, body: HTMLElement): void {
  const r = data.result;
  header.append(
    h("div", { class: "eyebrow" }, "copilot-experiments · compare"),
    h(
      "div",
      { class: "title-row" },
      h("h1", null, data.title),
      h(
        "span",
        { class: ["badge", r.regression ? "r-failed" : "r-passed"], id: "compare-verdict" },
        r.regression ? "regression" : "no regression",
      ),
    ),
    h(
      "dl",
      { class: "facts" },
      // The labels are upper-cased by the style sheet: the run id (case matters) is in the value.
      data.runs.map((run, i) =>
        h(
          "div",
          null,
          h("dt", null, data.runs.length === 2 ? `Run ${i === 0 ? "A" : "B"}` : "Run"),
          h("dd", { "data-run": run.run_id }, runFacts(run)),
        ),
      ),
    ),
    h(
      "p",
      { class: "muted small" },
      r.margin === null
        ? `α = ${r.alpha}, one-sided${r.comparisons.length > 1 ? `, Holm over ${r.comparisons.length} pairs` : ""}`
        : `α = ${r.alpha}, non-inferiority margin ${Math.round(r.margin * 100)}pp`,
      `; bootstrap (${r.iterations} resamples) and power simulation seeded with ${r.seed}. Differences are B − A.`,
    ),
  );
  r.comparisons.forEach((c, i) => {
    body.append(pair(c, data.trials[i] ?? [], i));
  });
}

function runFacts(run: PageRun): Child[] {
  return [
    h("code", null, run.run_id),
    ` ${run.experiment_name} · ${fmt.date(run.started_at)} · ${run.status}${run.copilot_version ? ` · Copilot ${run.copilot_version}` : ""} · `,
    run.report
      ? h("a", { href: run.report, "data-role": "run-report" }, "report")
      : h("span", { class: "muted" }, "no report.html next to this run"),
  ];
}

function pair(c: VariantComparison, trials: ComparePageData["trials"][number], i: number): HTMLElement {
  const el = h("section", { class: "card compare-pair", "data-pair": i });
  section(
    el,
    `B ${c.b.name} vs A ${c.a.name}`,
    `pair-${i}`,
    h("span", { class: "muted small" }, `B: run ${c.b.run_id} · A: run ${c.a.run_id}`),
  );
  const s = c.success;
  append(el, [
    h(
      "div",
      { class: ["gate", c.gate.fails ? "gate-fail" : "gate-pass"], "data-role": "gate" },
      h("strong", null, c.gate.fails ? "FAIL" : "pass"),
      " ",
      c.gate.words,
    ),
    h(
      "div",
      { class: "kpis" },
      kpi("A success", fmt.pct(s.a_rate), `${s.n_trials_a} graded trials`),
      kpi("B success", fmt.pct(s.b_rate), `${s.n_trials_b} graded trials`),
      kpi(
        "B − A",
        fmt.points(s.diff),
        s.diff_low !== null
          ? `95% CI ${fmt.points(s.diff_low)} to ${fmt.points(s.diff_high)}`
          : "no interval",
      ),
      kpi("p (B worse)", fmt.pValue(s.p_worse), `two-sided ${fmt.pValue(s.p_two_sided)}`),
      kpi(
        "Power",
        s.min_detectable_drop === null ? fmt.DASH : `${Math.ceil(s.min_detectable_drop * 100)}pp`,
        "smallest drop flagged with 80% power",
      ),
    ),
    h(
      "p",
      { class: "muted small" },
      s.test_label
        ? `${s.test_label}; B − A is the Mantel–Haenszel difference with a 95% score interval.`
        : "No task was graded on both sides.",
    ),
    s.warnings.length
      ? h(
          "ul",
          { class: "notes" },
          s.warnings.map((w) => h("li", { "data-warning": w.code }, w.message)),
        )
      : null,
    h("h4", null, "Per task"),
    taskTable(c, trials),
    c.only_a.length || c.only_b.length
      ? h(
          "p",
          { class: "muted small" },
          `Not compared: ${[...c.only_a.map((t) => `${t} (A only)`), ...c.only_b.map((t) => `${t} (B only)`)].join(", ")}`,
        )
      : null,
    h("h4", null, "Cost and tokens per trial"),
    ratios(c),
  ]);
  return el;
}

function taskTable(c: VariantComparison, trials: ComparePageData["trials"][number]): HTMLElement {
  const frac = (x: { n_success: number; n_graded: number; rate: number | null }) =>
    x.n_graded ? `${x.n_success}/${x.n_graded} · ${fmt.pct(x.rate)}` : fmt.DASH;
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "tbl compare-tasks" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["Task", "A", "A trials", "B", "B trials", "B − A", "p", "p Holm"].map((t, j) =>
            h("th", { class: j >= 5 ? "num" : null }, t),
          ),
        ),
      ),
      h(
        "tbody",
        null,
        c.tasks.map((t, j) =>
          h(
            "tr",
            { "data-task": t.task },
            h("th", { scope: "row" }, t.name),
            h("td", { class: "num" }, frac(t.a)),
            h("td", { "data-side": "a" }, dots(trials[j]?.a ?? [])),
            h("td", { class: "num" }, frac(t.b)),
            h("td", { "data-side": "b" }, dots(trials[j]?.b ?? [])),
            h("td", { class: "num" }, fmt.points(t.diff)),
            h("td", { class: "num" }, fmt.pValue(t.p)),
            h("td", { class: "num" }, fmt.pValue(t.p_holm)),
          ),
        ),
      ),
    ),
  );
}

/** One mark per trial: passed, failed, or not graded / did not run; a link into its run's report. */
function dots(list: CompareTrial[]): Child[] {
  return list.map((t) => {
    const result =
      t.success === true
        ? "passed"
        : t.success === false
          ? "failed"
          : t.status === "ok"
            ? "ungraded"
            : "none";
    const mark = result === "passed" ? "✓" : result === "failed" ? "✗" : "–";
    const title = `trial ${String(t.trial).padStart(3, "0")}: ${result === "none" ? t.status : result}`;
    const attrs = { class: ["trial-dot", `r-${result}`], title, "data-key": t.key };
    return t.href
      ? h("a", { ...attrs, href: t.href, "data-role": "trial-link" }, mark)
      : h("span", attrs, mark);
  });
}

function ratioText(r: RatioComparison): string {
  if (r.ratio_kind !== "finite") return r.ratio_kind === "infinite" ? "∞ (A costs 0)" : fmt.DASH;
  const b = (v: number | null, k: RatioComparison["low_kind"]) =>
    k === "infinite" ? "∞" : k === "undefined" ? "undefined" : fmt.fixed(v);
  return `${fmt.fixed(r.ratio)}× [${b(r.low, r.low_kind)}–${b(r.high, r.high_kind)}]`;
}

function ratios(c: VariantComparison): HTMLElement {
  const list = [c.cost, ...c.tokens.filter((t) => t.metric !== c.cost.metric)];
  const mean = (m: string, v: number | null) =>
    m === "aiu" ? fmt.fixed(v, 3) : fmt.compact(v === null ? null : Math.round(v));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "tbl compare-ratios" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["Per trial", "A mean", "B mean", "B / A [95% CI]"].map((t, j) =>
            h("th", { class: j ? "num" : null }, t),
          ),
        ),
      ),
      h(
        "tbody",
        null,
        list.map((r) =>
          h(
            "tr",
            { "data-metric": r.metric },
            h("th", { scope: "row" }, `${METRIC[r.metric] ?? r.metric}${r === c.cost ? " (cost)" : ""}`),
            h("td", { class: "num" }, mean(r.metric, r.a_mean)),
            h("td", { class: "num" }, mean(r.metric, r.b_mean)),
            h("td", { class: "num" }, ratioText(r)),
          ),
        ),
      ),
    ),
    h(
      "p",
      { class: "muted small" },
      `Means of per-task means; interval: bootstrap resampling trials within tasks.${c.cost.metric !== "aiu" ? " Cost in tokens: AIU not reported on both sides." : ""}`,
    ),
  );
}
