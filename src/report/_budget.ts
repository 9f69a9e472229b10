/** Bounding texts for the report: cutting one text, and sharing a budget among many. */

import { CUT_MARK } from "../session/trajectory.ts";

/** What stands for the middle of a cut text (trajectory.json cuts its texts the same way). */
export { CUT_MARK };

/** Head and tail of a long text, with a marker line where the middle was. */
export function clip(text: string, max: number): { text: string; cut?: number } {
  if (text.length <= max) return { text };
  const head = Math.ceil(max * 0.7);
  const tail = max - head;
  return { text: `${text.slice(0, head)}${CUT_MARK}${tail ? text.slice(-tail) : ""}`, cut: text.length };
}

/**
 * Shares of `budget` for texts of the given lengths: every text whole when they fit; else one
 * level λ such that min(length, λ) over all texts sums to the budget — short texts stay whole,
 * the long ones get λ each — never below `floor` (so many texts can exceed the budget).
 */
export function allot(lengths: readonly number[], budget: number, floor: number): number[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total <= budget) return [...lengths];
  const sorted = [...lengths].sort((a, b) => a - b);
  let left = budget;
  let level = 0;
  for (let i = 0; i < sorted.length; i++) {
    const fair = left / (sorted.length - i);
    if (sorted[i]! >= fair) {
      level = fair;
      break;
    }
    left -= sorted[i]!;
    level = sorted[i]!;
  }
  return lengths.map((n) => Math.min(n, Math.max(floor, Math.floor(level))));
}
