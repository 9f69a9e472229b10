/**
 * The one set of number and time formats: terminal tables, summary.md and the HTML report's
 * client (bundled into the page) all use these, so a figure reads the same everywhere.
 * One format per kind of figure (ADR 0016): rates `pct` (with `rateWithCi` and its n), token
 * counts `tokens`, other counts `int`, AIU `aiu`, durations `seconds` / `ms`,
 * sizes `bytes`. Pure functions, no imports: the report client runs them in the browser.
 */

export const DASH = "–";

type Num = number | null | undefined;

export const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** 0.25 -> `25%` */
export function pct(v: Num, digits = 0): string {
  return isNum(v) ? `${(v * 100).toFixed(digits)}%` : DASH;
}

/** `70% [40–89]`, and with the number of trials it rests on `70% [40–89] n=10`. */
export function rateWithCi(rate: Num, low: Num, high: Num, n?: Num): string {
  if (!isNum(rate)) return DASH;
  const of = isNum(n) ? ` n=${Math.round(n)}` : "";
  if (!isNum(low) || !isNum(high)) return `${pct(rate)}${of}`;
  return `${pct(rate)} [${(low * 100).toFixed(0)}–${(high * 100).toFixed(0)}]${of}`;
}

/** `40–89%`, or nothing without an interval. */
export function ci(low: Num, high: Num): string {
  return isNum(low) && isNum(high) ? `${(low * 100).toFixed(0)}–${(high * 100).toFixed(0)}%` : "";
}

export function fixed(v: Num, digits = 2): string {
  return isNum(v) ? v.toFixed(digits) : DASH;
}

/** AIU (premium request units): 2 decimals everywhere; a cost too small to show is `<0.01`. */
export function aiu(v: Num): string {
  if (!isNum(v)) return DASH;
  if (v > 0 && v < 0.005) return "<0.01";
  return v.toFixed(2);
}

/** A count: 17117 -> `17,117`. */
export function int(v: Num): string {
  return isNum(v) ? Math.round(v).toLocaleString("en-US") : DASH;
}

/**
 * Token counts and other large figures, in one style at every size: 950 -> `950`,
 * 4595 -> `4.6k`, 13800 -> `13.8k`, 138000 -> `138k`, 1234567 -> `1.23M`.
 */
export function compact(v: Num): string {
  if (!isNum(v)) return DASH;
  const abs = Math.abs(v);
  if (abs >= 999_500_000) return `${(v / 1e9).toFixed(2)}B`;
  if (abs >= 999_500) return `${(v / 1e6).toFixed(2)}M`;
  if (abs >= 99_950) return `${(v / 1e3).toFixed(0)}k`;
  if (abs >= 999.5) return `${(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v));
}

/** Token counts: `compact`, everywhere (terminal, summary.md, the report). */
export const tokens = compact;

/** A duration in seconds: `42.0s`, `1m05s`, `2h03m`. */
export function seconds(v: Num): string {
  if (!isNum(v)) return DASH;
  if (v < 60) return `${v.toFixed(1)}s`;
  const m = Math.floor(v / 60);
  const s = Math.round(v % 60);
  return m < 60
    ? `${m}m${String(s).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** A duration in milliseconds: `850 ms` below a second, else as `seconds`. */
export function ms(v: Num): string {
  if (!isNum(v)) return DASH;
  return v < 1000 ? `${Math.round(v)} ms` : seconds(v / 1000);
}

export function bytes(v: Num): string {
  if (!isNum(v)) return DASH;
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)} MB`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(0)} kB`;
  return `${v} B`;
}

/** `part` as a share of `whole`: `12.5%`. */
export function share(part: Num, whole: Num): string {
  return isNum(part) && isNum(whole) && whole !== 0 ? `${((100 * part) / whole).toFixed(1)}%` : DASH;
}

/** An ISO time as `2026-03-01 12:00:00 UTC`. */
export function date(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** The time between two ISO times, as `seconds`. */
export function duration(fromIso: string | null | undefined, toIso: string | null | undefined): string {
  const a = Date.parse(fromIso || "");
  const b = Date.parse(toIso || "");
  return Number.isFinite(a) && Number.isFinite(b) ? seconds((b - a) / 1000) : DASH;
}

/** A p-value: `<0.001`, `0.012`, `0.43`. */
export function pValue(p: Num): string {
  if (!isNum(p)) return DASH;
  if (p < 0.001) return "<0.001";
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

/** A difference of rates in percentage points: `+25pp`, `−100pp`, `0pp`. */
export function points(diff: Num): string {
  if (!isNum(diff)) return DASH;
  const n = Math.round(diff * 100);
  return n === 0 ? "0pp" : `${n > 0 ? "+" : "−"}${Math.abs(n)}pp`;
}
