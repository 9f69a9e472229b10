// The columns of the variant table: summary.json's figures, their header and their cell.
import * as fmt from "../../formats/numbers.ts";
import type { GroupSummary } from "../../store/summary-schema.ts";
import type { ReportData, ReportVariant } from "../types.ts";
import { type Child, h } from "./dom.ts";

const passK = (s: GroupSummary, k: number) => s.pass_at_k[String(k)];
const maxK = (s: GroupSummary) => Math.max(0, ...Object.keys(s.pass_at_k).map(Number));

export interface Column {
  /** The summary.json field (or `name`, `pass_at_k.1`, `pass_at_k.max`). */
  key: string;
  label: string;
  title?: string;
  text?: boolean;
  value: (s: GroupSummary) => number | string | null | undefined;
  cell: (s: GroupSummary, v: ReportVariant) => Child;
}

export function columns(data: ReportData): Column[] {
  const cols: Column[] = [
    { key: "name", label: "Variant", text: true, value: () => null, cell: (_s, v) => variantCell(v) },
    { key: "n_trials", label: "Trials", value: (s) => s.n_trials, cell: (s) => String(s.n_trials) },
    {
      key: "success_rate",
      label: "Success [95% CI]",
      value: (s) => s.success_rate,
      cell: (s) => [
        fmt.pct(s.success_rate),
        h(
          "div",
          { class: "ci" },
          s.success_rate === null
            ? "no graded trials"
            : `[${fmt.ci(s.success_ci_low, s.success_ci_high)}] · ${s.n_success}/${s.n_graded}`,
        ),
        clusteredCi(s),
      ],
    },
    { key: "pass_at_k.1", label: "pass@1", value: (s) => passK(s, 1), cell: (s) => fmt.pct(passK(s, 1)) },
    {
      key: "pass_at_k.max",
      label: "pass@k",
      title: "pass@k at the largest k (trials per task)",
      value: (s) => passK(s, maxK(s)),
      cell: (s) =>
        maxK(s) > 0 ? [fmt.pct(passK(s, maxK(s))), h("span", { class: "ci" }, ` k=${maxK(s)}`)] : fmt.DASH,
    },
    {
      key: "resolved_at_k_rate",
      label: "Resolved",
      title: "Tasks solved by at least one trial",
      value: (s) => s.resolved_at_k_rate,
      cell: (s) => fmt.pct(s.resolved_at_k_rate),
    },
    { key: "avg_aiu", label: "Avg AIU", value: (s) => s.avg_aiu, cell: (s) => fmt.fixed(s.avg_aiu) },
    { key: "total_aiu", label: "Total AIU", value: (s) => s.total_aiu, cell: (s) => fmt.fixed(s.total_aiu) },
    {
      key: "aiu_per_solve",
      label: "AIU / solve",
      value: (s) => s.aiu_per_solve,
      cell: (s) => fmt.fixed(s.aiu_per_solve),
    },
    {
      key: "avg_total_tokens",
      label: "Avg tokens",
      value: (s) => s.avg_total_tokens,
      cell: (s) => [
        fmt.compact(s.avg_total_tokens),
        fmt.isNum(s.cv_total_tokens)
          ? h("div", { class: "variant-sub" }, `CV ${fmt.fixed(s.cv_total_tokens)}`)
          : null,
      ],
    },
    {
      key: "avg_duration_s",
      label: "Avg time",
      value: (s) => s.avg_duration_s,
      cell: (s) => fmt.seconds(s.avg_duration_s),
    },
    {
      key: "avg_tool_calls",
      label: "Tool calls",
      title: "Average tool calls per trial (failed calls below)",
      value: (s) => s.avg_tool_calls,
      cell: (s) => [
        fmt.fixed(s.avg_tool_calls, 1),
        h(
          "div",
          { class: "variant-sub", "data-key": "avg_tool_failures", "data-value": s.avg_tool_failures ?? "" },
          `${fmt.fixed(s.avg_tool_failures, 1)} failed`,
        ),
      ],
    },
    {
      key: "n_failed_trials",
      label: "Not counted",
      title: "Infrastructure failures (copilot_failed, harness_error)",
      value: (s) => s.n_failed_trials,
      cell: (s) => String(s.n_failed_trials),
    },
  ];
  // No session reported AIU (BYOK or the scripted provider): the AIU columns would be all dashes.
  return aiuReported(data) ? cols : cols.filter((c) => !c.key.includes("aiu"));
}

export const aiuReported = (data: ReportData) =>
  data.variants.some((v) => v.summary && v.summary.n_aiu_known > 0);

/** The 95% interval clustered by task (docs/statistics.md), when the variant spans two tasks. */
function clusteredCi(s: GroupSummary): Child {
  const c = s.success_ci_clustered;
  if (!c) return null;
  return h(
    "div",
    {
      class: "ci",
      title: "95% confidence interval that allows for tasks differing in difficulty",
      "data-key": "success_ci_clustered",
      "data-value": `${c.low},${c.high}`,
    },
    `clustered by task [${fmt.ci(c.low, c.high)}]`,
  );
}

function variantCell(v: ReportVariant): Child {
  const sub = [v.model, v.reasoning_effort && `effort ${v.reasoning_effort}`].filter(Boolean).join(" · ");
  return [h("div", { class: "variant-name" }, v.name), sub ? h("div", { class: "variant-sub" }, sub) : null];
}
