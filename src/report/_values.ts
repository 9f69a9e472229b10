/** Small value helpers of the report's data building (module-private to report/). */

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export const numOrNull = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;

export const strOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The last `maxChars` characters of a text, starting at a line boundary when one is near. */
export function tail(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  let out = text.slice(text.length - maxChars);
  const nl = out.indexOf("\n");
  if (nl !== -1 && nl < 200) out = out.slice(nl + 1);
  return { text: out, truncated: true };
}
