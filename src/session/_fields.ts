/**
 * Defensive field access for untrusted JSON: every helper returns a well-typed value or
 * `undefined`, never throws, so a wrongly typed field in a log line is simply ignored.
 */

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function arr(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * An identifier written as a string or as a number (an exporter may write `turn_id: 1`), as a
 * string: the same id joins the same way whichever way it was written.
 */
export function id(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

/** A finite number (non-negative counts are the caller's business). */
export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A finite, non-negative number: token counts, durations, sizes. */
export function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A non-negative integer: lengths and other counts of whole things. */
export function whole(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** Milliseconds since the epoch from an ISO string, or undefined. */
export function isoMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** OTel hrtime `[seconds, nanoseconds]` (or a plain epoch-ms number) as epoch milliseconds. */
export function hrMs(value: unknown): number | undefined {
  if (Array.isArray(value) && value.length === 2) {
    const [s, ns] = value;
    if (typeof s === "number" && typeof ns === "number" && Number.isFinite(s) && Number.isFinite(ns)) {
      return s * 1000 + ns / 1e6;
    }
    return undefined;
  }
  return num(value);
}

/** Sum where undefined means "not reported": stays undefined until one value is seen. */
export function add(total: number | undefined, value: number | undefined): number | undefined {
  if (value === undefined) return total;
  return (total ?? 0) + value;
}

/** JSON-safe number: null for unknown, never NaN or Infinity. */
export function finite(value: number | undefined | null): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * One shared instance per distinct string. Values kept for the whole analysis (turn ids, model
 * and tool names) would otherwise each pin a fresh copy from the line they were parsed from.
 */
export class Interner {
  private readonly seen = new Map<string, string>();

  get(value: string): string;
  get(value: string | undefined): string | undefined;
  get(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.seen.get(value);
    if (known !== undefined) return known;
    this.seen.set(value, value);
    return value;
  }
}
