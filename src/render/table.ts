import { distinctTruncations } from "../formats/names.ts";
import { terminalColumns } from "../util/stdio.ts";
import { terminalSafe } from "./terminal-safe.ts";

/**
 * Plain-text tables for the terminal: aligned columns, numbers right-aligned, and the widest
 * text column shrunk (with an ellipsis) so the table fits the terminal (not when piped).
 */

export interface Column {
  header: string;
  align?: "left" | "right";
  /** Lowest width this column may be shrunk to. */
  min?: number;
  /** Shrink this column first when the table is too wide (long free text). */
  flex?: boolean;
  /** Names (variants, tasks): shortened so that different names stay different. */
  names?: boolean;
}

export function displayWidth(text: string): number {
  return [...Bun.stripANSI(text)].length;
}

export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const plain = [...Bun.stripANSI(text)];
  if (width <= 1) return plain.slice(0, width).join("");
  return `${plain.slice(0, width - 1).join("")}…`;
}

function pad(text: string, width: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? fill + text : text + fill;
}

/** The width prose and layouts wrap to: COLUMNS, the terminal's, else 80. */
export function terminalWidth(): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 20) return fromEnv;
  return terminalColumns(1) ?? 80;
}

/**
 * The width tables shrink to: COLUMNS or the terminal's; unlimited when stdout is not a terminal
 * (a pipe or a file gets every character of every cell).
 */
export function tableWidth(): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 20) return fromEnv;
  return terminalColumns(1) ?? Number.POSITIVE_INFINITY;
}

export function renderTable(
  columns: readonly (Column | string)[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
  opts: { width?: number; indent?: number } = {},
): string {
  const cols: Column[] = columns.map((c) => (typeof c === "string" ? { header: c } : c));
  // Cells carry names, errors and output from experiments and agents: shown without escapes.
  const cells = rows.map((r) =>
    cols.map((_, i) =>
      r[i] === null || r[i] === undefined ? "" : terminalSafe(String(r[i]), { keepColors: true }),
    ),
  );
  const align = cols.map(
    (c, i) =>
      c.align ??
      (cells.length > 0 && cells.every((r) => r[i] === "" || /^[-+]?[\d.,]+[%x]?$|^[-–—]$/.test(r[i]!))
        ? "right"
        : "left"),
  );
  const widths = cols.map((c, i) =>
    Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i]!))),
  );
  const indent = opts.indent ?? 0;
  const budget = (opts.width ?? tableWidth()) - indent;
  const gap = 2;
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  // Shrink the widest left-aligned columns first until the table fits.
  while (total() > budget) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      const floor = cols[i]!.min ?? Math.min(8, displayWidth(cols[i]!.header));
      if (align[i] === "left" && widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!))
        widest = i;
    }
    if (widest < 0) break;
    widths[widest] = widths[widest]! - 1;
  }
  // Name columns are shortened as a whole, so that two names never read the same.
  cols.forEach((c, i) => {
    if (!c.names) return;
    const plain = cells.map((r) => Bun.stripANSI(r[i]!));
    const short = distinctTruncations(plain, widths[i]!);
    cells.forEach((r, k) => {
      if (short[k] !== plain[k]) r[i] = short[k]!;
    });
  });
  const prefix = " ".repeat(indent);
  const line = (values: string[]) =>
    prefix +
    values
      .map((v, i) => pad(truncate(v, widths[i]!), widths[i]!, align[i]!))
      .join(" ".repeat(gap))
      .trimEnd();
  const header = line(cols.map((c) => c.header));
  const rule = prefix + widths.map((w) => "─".repeat(w)).join(" ".repeat(gap));
  return [header, rule, ...cells.map(line)].join("\n");
}
