/**
 * How variants and tasks are named wherever they are shown (ADR 0016): by the name the
 * experiment gives them, or their slug when unnamed — in progress lines, tables, summary.md and
 * the report alike. Slugs stay what commands take (`--variant`, `--variants`) and what files and
 * JUnit use. Pure, no imports (the report client may bundle it).
 */

export function displayName(item: { name?: string | null; slug: string }): string {
  return item.name || item.slug;
}

const ELLIPSIS = "…";

const chars = (text: string) => [...text];

function endCut(text: string, width: number): string {
  const c = chars(text);
  return c.length <= width ? text : `${c.slice(0, Math.max(0, width - 1)).join("")}${ELLIPSIS}`;
}

function middleCut(text: string, width: number, head: number): string {
  const c = chars(text);
  if (c.length <= width) return text;
  const tail = width - 1 - head;
  return `${c.slice(0, head).join("")}${ELLIPSIS}${tail > 0 ? c.slice(c.length - tail).join("") : ""}`;
}

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

/**
 * Shorten names to `width` characters so that names which differ still differ: cut at the end
 * when that keeps them apart, else keep each name's head and tail around an ellipsis, trying an
 * even split first, then longer heads, then shorter ones. At 16 columns "fixer with
 * instructions" and "fixer without instructions" become "fixer with …ions" and
 * "fixer witho…ions", where cutting at the end would show "fixer with inst…" twice. Equal names
 * stay equal; when no split keeps them apart, they are cut at the end.
 */
export function distinctTruncations(names: readonly string[], width: number): string[] {
  if (width < 1 || names.every((n) => chars(n).length <= width)) return [...names];
  const unique = [...new Set(names)];
  const atEnd = unique.map((n) => endCut(n, width));
  if (distinct(atEnd) || width < 3) return names.map((n) => endCut(n, width));
  const even = Math.ceil((width - 1) / 2);
  const heads = [even];
  for (let h = even + 1; h <= width - 2; h++) heads.push(h);
  for (let h = even - 1; h >= 1; h--) heads.push(h);
  for (const head of heads) {
    const cut = unique.map((n) => middleCut(n, width, head));
    if (distinct(cut)) {
      const byName = new Map(unique.map((n, i) => [n, cut[i]!]));
      return names.map((n) => byName.get(n)!);
    }
  }
  return names.map((n) => endCut(n, width));
}
