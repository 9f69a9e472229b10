// Charts as inline SVG built with DOM calls: success per variant with Wilson intervals, cost vs
// success, task × variant heat map, token mix per variant. Labels are text nodes.
import * as fmt from "../../formats/numbers.ts";
import type { GroupSummary } from "../../store/summary-schema.ts";
import type { ReportData, ReportVariant, TokenMix } from "../types.ts";
import { type Child, h, s, truncate } from "./dom.ts";
import { heatmapChart } from "./heatmap.ts";
import { empty, figure, label, type Summarized, summarized, svg, W } from "./svg.ts";

export const PALETTE = [
  "#2f81f7",
  "#e16f24",
  "#2da44e",
  "#bf3989",
  "#8250df",
  "#d4a72c",
  "#1b7c83",
  "#cf222e",
];
const TOKEN_TYPES: [Exclude<keyof TokenMix, "n">, string, string][] = [
  ["input_noncached", "tok-input", "input (not cached)"],
  ["cache_read", "tok-cache_read", "cache read"],
  ["cache_write", "tok-cache_write", "cache write"],
  ["output", "tok-output", "output"],
];

/**
 * Round-numbered ticks covering [min, max]. The axis starts at 0 unless the values sit in a
 * narrow band far from it, where a zero-based axis would pile every point on top of another.
 */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  let lo = 0;
  const spread = max - min;
  if (min > 0 && spread < min * 0.5) lo = Math.max(0, min - Math.max(spread, max * 0.05) * 0.5);
  const raw = (max - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) || raw;
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function successChart(data: ReportData): HTMLElement {
  const rows = summarized(data);
  if (rows.length === 0) return figure("chart-success", "Success per variant", null, empty("No trials yet."));
  const labelW = 170;
  const valueW = 120;
  const plotW = W - labelW - valueW;
  const rowH = 30;
  const top = 8;
  const height = top + rows.length * rowH + 26;
  const x = (v: number) => labelW + v * plotW;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((t) => [
    s("line", { class: "grid", x1: x(t), x2: x(t), y1: top, y2: top + rows.length * rowH }),
    s("text", { class: "tick", x: x(t), y: height - 8, "text-anchor": "middle" }, `${t * 100}%`),
  ]);
  const bars = rows.map((v, i) => {
    const sm = v.summary;
    const cy = top + i * rowH + rowH / 2;
    const parts: Child[] = [
      s("text", { x: labelW - 10, y: cy + 4, "text-anchor": "end" }, label(v.name, 24)),
    ];
    if (sm.success_rate === null) {
      parts.push(s("text", { class: "axis-label", x: x(0) + 6, y: cy + 4 }, "no graded trials"));
      return s("g", { "data-variant": v.slug }, parts);
    }
    const tip = `${v.name}: ${fmt.pct(sm.success_rate)} (${sm.n_success}/${sm.n_graded}), 95% CI ${fmt.ci(sm.success_ci_low, sm.success_ci_high)}`;
    parts.push(
      s(
        "rect",
        {
          class: "bar",
          x: x(0),
          y: cy - 8,
          width: Math.max(0, x(sm.success_rate) - x(0)),
          height: 16,
          rx: 2,
        },
        s("title", null, tip),
      ),
    );
    if (fmt.isNum(sm.success_ci_low) && fmt.isNum(sm.success_ci_high)) {
      const lo = x(sm.success_ci_low);
      const hi = x(sm.success_ci_high);
      parts.push(
        s("line", { class: "whisker", x1: lo, x2: hi, y1: cy, y2: cy }),
        s("line", { class: "whisker", x1: lo, x2: lo, y1: cy - 6, y2: cy + 6 }),
        s("line", { class: "whisker", x1: hi, x2: hi, y1: cy - 6, y2: cy + 6 }),
      );
    }
    parts.push(
      s(
        "text",
        { x: x(1) + 10, y: cy + 4 },
        `${fmt.pct(sm.success_rate)} `,
        s("tspan", { class: "axis-label" }, `[${fmt.ci(sm.success_ci_low, sm.success_ci_high)}]`),
      ),
    );
    return s("g", { "data-variant": v.slug }, parts);
  });
  return figure(
    "chart-success",
    "Success per variant",
    "Bars: success rate over graded trials; whiskers: 95% Wilson interval.",
    svg(W, height, "Success rate per variant with 95% intervals", grid, bars),
  );
}

interface PointGroup {
  cx: number;
  cy: number;
  color: string;
  members: Summarized[];
}

function costChart(data: ReportData): HTMLElement {
  const aiu = data.cost_basis === "aiu";
  const costOf = (sm: GroupSummary) => (aiu ? sm.avg_aiu : sm.avg_total_tokens);
  const rows = summarized(data).filter(
    (v) => v.summary.success_rate !== null && fmt.isNum(costOf(v.summary)),
  );
  const subtitle = aiu
    ? "x: average AIU per trial; y: success rate with 95% interval."
    : "x: average tokens per trial — AIU unknown (not reported by these sessions, e.g. BYOK or scripted), so cost is shown in tokens; y: success rate.";
  if (rows.length === 0)
    return figure(
      "chart-cost",
      "Cost vs success",
      subtitle,
      empty("No variant has both a success rate and a cost yet."),
    );
  const m = { l: 52, r: 24, t: 12, b: 40 };
  const height = 300;
  const costs = rows.map((v) => costOf(v.summary)!);
  const ticks = niceTicks(Math.min(...costs), Math.max(...costs));
  const xMin = ticks[0]!;
  const xMax = ticks[ticks.length - 1]!;
  const x = (v: number) => m.l + ((v - xMin) / (xMax - xMin)) * (W - m.l - m.r);
  const y = (v: number) => height - m.b - v * (height - m.t - m.b);
  const axes = [
    ...[0, 0.25, 0.5, 0.75, 1].map((t) => [
      s("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y(t), y2: y(t) }),
      s("text", { class: "tick", x: m.l - 8, y: y(t) + 4, "text-anchor": "end" }, `${t * 100}%`),
    ]),
    ...ticks.map((t) => [
      s("line", { class: "grid", x1: x(t), x2: x(t), y1: m.t, y2: height - m.b }),
      s(
        "text",
        { class: "tick", x: x(t), y: height - m.b + 16, "text-anchor": "middle" },
        aiu ? String(t) : fmt.compact(t),
      ),
    ]),
    s(
      "text",
      { class: "axis-label", x: (m.l + W - m.r) / 2, y: height - 4, "text-anchor": "middle" },
      aiu ? "average AIU per trial" : "average tokens per trial",
    ),
  ];
  // Variants at (nearly) the same spot share one point and one label; labels never overlap.
  const groups: PointGroup[] = [];
  rows.forEach((v, i) => {
    const cx = x(costOf(v.summary)!);
    const cy = y(v.summary.success_rate!);
    const near = groups.find((g) => Math.abs(g.cx - cx) < 5 && Math.abs(g.cy - cy) < 5);
    if (near) near.members.push(v);
    else groups.push({ cx, cy, color: PALETTE[i % PALETTE.length]!, members: [v] });
  });
  const placed: { x1: number; x2: number; y1: number; y2: number }[] = [];
  const points = groups
    .sort((a, b) => a.cy - b.cy)
    .map((g) => {
      const parts: Child[] = [];
      for (const v of g.members) {
        const sm = v.summary;
        if (fmt.isNum(sm.success_ci_low) && fmt.isNum(sm.success_ci_high)) {
          parts.push(
            s("line", {
              class: "whisker",
              x1: g.cx,
              x2: g.cx,
              y1: y(sm.success_ci_low),
              y2: y(sm.success_ci_high),
              stroke: g.color,
              opacity: 0.6,
            }),
          );
        }
      }
      const tip = g.members
        .map(
          (v) =>
            `${v.name}: ${fmt.pct(v.summary.success_rate)} success, ${aiu ? `${fmt.fixed(v.summary.avg_aiu)} AIU` : `${fmt.compact(v.summary.avg_total_tokens)} tokens`} per trial`,
        )
        .join("\n");
      const text = g.members.map((v) => v.name).join(", ");
      const shown = truncate(text, 34);
      const width = shown.length * 6.6;
      const anchorEnd = g.cx + 10 + width > W - m.r;
      const x1 = anchorEnd ? g.cx - 10 - width : g.cx + 10;
      let ly = g.cy - 8;
      const hits = (yy: number) =>
        placed.some((p) => x1 < p.x2 && x1 + width > p.x1 && yy - 11 < p.y2 && yy + 3 > p.y1);
      while (hits(ly) && ly < height) ly += 14;
      placed.push({ x1, x2: x1 + width, y1: ly - 11, y2: ly + 3 });
      parts.push(
        s("circle", { class: "point", cx: g.cx, cy: g.cy, r: 6, fill: g.color }, s("title", null, tip)),
        s(
          "text",
          { x: anchorEnd ? g.cx - 10 : g.cx + 10, y: ly, "text-anchor": anchorEnd ? "end" : "start" },
          shown,
          s("title", null, text),
        ),
      );
      return s("g", { "data-variant": g.members.map((v) => v.slug).join(" ") }, parts);
    });
  return figure(
    "chart-cost",
    "Cost vs success",
    subtitle,
    svg(W, height, "Cost versus success per variant", axes, points),
  );
}

function tokenChart(data: ReportData): HTMLElement {
  const rows = data.variants.filter(
    (v): v is ReportVariant & { token_mix: TokenMix } => v.token_mix !== null,
  );
  if (rows.length === 0)
    return figure("chart-tokens", "Token mix per variant", null, empty("No token usage recorded."));
  const labelW = 170;
  const valueW = 70;
  const plotW = W - labelW - valueW;
  const rowH = 30;
  const height = rows.length * rowH + 8;
  const total = (mix: TokenMix) => TOKEN_TYPES.reduce((a, [k]) => a + (mix[k] || 0), 0);
  const max = Math.max(1, ...rows.map((v) => total(v.token_mix)));
  const bars = rows.map((v, i) => {
    const mix = v.token_mix;
    const cy = 4 + i * rowH + rowH / 2;
    let x0 = labelW;
    const segs = TOKEN_TYPES.map(([k, cls, name]) => {
      const w = ((mix[k] || 0) / max) * plotW;
      const rect = s(
        "rect",
        { class: cls, x: x0, y: cy - 9, width: Math.max(0, w), height: 18 },
        s("title", null, `${v.name} — ${name}: ${fmt.tokens(mix[k])} tokens per trial (mean of ${mix.n})`),
      );
      x0 += w;
      return rect;
    });
    return s(
      "g",
      { "data-variant": v.slug },
      s("text", { x: labelW - 10, y: cy + 4, "text-anchor": "end" }, label(v.name, 24)),
      segs,
      s("text", { x: x0 + 8, y: cy + 4, class: "axis-label" }, fmt.compact(total(mix))),
    );
  });
  const legend = h(
    "div",
    { class: "legend" },
    TOKEN_TYPES.map(([, cls, name]) => h("span", null, h("span", { class: ["swatch", cls] }), name)),
  );
  return figure(
    "chart-tokens",
    "Token mix per variant",
    "Mean tokens per trial that ran, by type.",
    svg(W, height, "Token mix per variant", bars),
    legend,
  );
}

export function renderCharts(data: ReportData, el: HTMLElement): void {
  el.replaceChildren(successChart(data), costChart(data), heatmapChart(data), tokenChart(data));
}
