/** Number formatting shared by terminal tables, markdown and the report. */

export const DASH = "–";

export function pct(v: number | null | undefined, digits = 0): string {
  return v === null || v === undefined ? DASH : `${(v * 100).toFixed(digits)}%`;
}

/** `70% [40–89]` */
export function rateWithCi(rate: number | null, low: number | null, high: number | null): string {
  if (rate === null) return DASH;
  if (low === null || high === null) return pct(rate);
  return `${pct(rate)} [${(low * 100).toFixed(0)}–${(high * 100).toFixed(0)}]`;
}

export function fixed(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? DASH : v.toFixed(digits);
}

/** 1234 -> 1.2k, 1234567 -> 1.23M */
export function compact(v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(1);
}

export function seconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  if (v < 60) return `${v.toFixed(1)}s`;
  const m = Math.floor(v / 60);
  const s = Math.round(v % 60);
  return m < 60
    ? `${m}m${String(s).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
