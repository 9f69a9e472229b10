// The search box: trials whose prompt, messages, reasoning, tool calls (names, arguments,
// outputs), verify output or error hold every word of the query. The text of a trial is read
// from its detail block the first time a query needs it, then kept.
import type { ReportData, TranscriptEntry, TrialRow } from "../types.ts";
import { loadDetail } from "./trial-detail.ts";

const haystacks = new Map<number, string>();

function entryText(e: TranscriptEntry, out: string[]): void {
  out.push(e.text);
  if (e.reasoning) out.push(e.reasoning);
  for (const c of e.calls ?? []) {
    out.push(c.name, c.args);
    if (c.output) out.push(c.output);
  }
}

function haystack(data: ReportData, row: TrialRow): string {
  const known = haystacks.get(row.id);
  if (known !== undefined) return known;
  const parts: string[] = [];
  if (row.error) parts.push(row.error);
  const d = loadDetail(row.id);
  parts.push(d?.prompt ?? data.tasks.find((t) => t.slug === row.task)?.prompt ?? "");
  if (d?.transcript) {
    for (const e of d.transcript.entries) if (e.kind !== "system") entryText(e, parts);
    for (const s of d.transcript.subagents) for (const e of s.entries) entryText(e, parts);
  }
  if (d?.verify) parts.push(d.verify.command, d.verify.output);
  const text = parts.join("\n").toLowerCase();
  // A trial whose block the parser has not reached yet is read again next time.
  if (d) haystacks.set(row.id, text);
  return text;
}

/** The query's words (lower case); none for an empty query. */
export const words = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean);

export function matchesQuery(data: ReportData, row: TrialRow, terms: string[]): boolean {
  if (terms.length === 0) return true;
  const text = haystack(data, row);
  return terms.every((w) => text.includes(w));
}
