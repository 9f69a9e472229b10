// The task × variant heat map: solved / graded trials per cell, coloured red (0%) to green (100%).
import * as fmt from "../../formats/numbers.ts";
import type { ReportData } from "../types.ts";
import { s } from "./dom.ts";
import { empty, figure, label, summarized, svg, W } from "./svg.ts";

/** red (0) → amber (0.5) → green (1) */
export function heatColor(rate: number): string {
  const hue = rate < 0.5 ? 4 + rate * 2 * 38 : 42 + (rate - 0.5) * 2 * 90;
  const light = rate < 0.5 ? 52 : 50 - (rate - 0.5) * 2 * 10;
  return `hsl(${hue.toFixed(0)} 68% ${light.toFixed(0)}%)`;
}

/** Dark text on the light amber middle of the scale, white on red and green. */
const heatText = (rate: number) => (rate > 0.3 && rate < 0.8 ? "#1f2328" : "#fff");

export function heatmapChart(data: ReportData): HTMLElement {
  const variants = summarized(data);
  const tasks = data.tasks;
  if (variants.length === 0 || tasks.length === 0)
    return figure("chart-heatmap", "Task × variant success", null, empty("No trials yet."));
  const labelW = 170;
  const cellW = Math.max(56, Math.min(120, Math.floor((W - labelW) / variants.length)));
  const cellH = 30;
  const headH = 30;
  const width = labelW + cellW * variants.length;
  const height = headH + cellH * tasks.length + 4;
  const maxChars = Math.max(4, Math.floor(cellW / 7));
  const head = variants.map((v, j) =>
    s(
      "text",
      { x: labelW + j * cellW + cellW / 2, y: headH - 10, "text-anchor": "middle" },
      label(v.name, maxChars),
    ),
  );
  const body = tasks.map((t, i) => {
    const y0 = headH + i * cellH;
    const cells = variants.map((v, j) => {
      const c = v.cells[t.slug];
      const x0 = labelW + j * cellW;
      const rate = c && c.success_rate !== null ? c.success_rate : null;
      const tip =
        c && rate !== null
          ? `${v.name} × ${t.name}: ${fmt.pct(rate)} (${c.n_success}/${c.n_graded}), 95% CI ${fmt.ci(c.success_ci_low, c.success_ci_high)}`
          : `${v.name} × ${t.name}: no graded trials`;
      return s(
        "g",
        { "data-variant": v.slug, "data-task": t.slug, "data-rate": rate ?? "" },
        s(
          "rect",
          {
            class: rate !== null ? "heat" : "heat-empty",
            x: x0 + 1,
            y: y0 + 1,
            width: cellW - 2,
            height: cellH - 2,
            rx: 3,
            fill: rate !== null ? heatColor(rate) : null,
          },
          s("title", null, tip),
        ),
        s(
          "text",
          {
            x: x0 + cellW / 2,
            y: y0 + cellH / 2 + 4,
            "text-anchor": "middle",
            style: rate !== null ? `fill:${heatText(rate)};font-weight:600` : null,
            class: rate !== null ? null : "axis-label",
          },
          c && rate !== null ? `${c.n_success}/${c.n_graded}` : fmt.DASH,
        ),
      );
    });
    return [
      s("text", { x: labelW - 10, y: y0 + cellH / 2 + 4, "text-anchor": "end" }, label(t.name, 24)),
      cells,
    ];
  });
  return figure(
    "chart-heatmap",
    "Task × variant success",
    "Cells: solved / graded trials; colour from red (0%) to green (100%).",
    svg(width, height, "Success per task and variant", head, body),
  );
}
