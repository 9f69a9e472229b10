import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { basename } from "node:path";

/**
 * Forgiving readers for the report: a missing or damaged artifact becomes a note, never an
 * exception, so interrupted and partial runs still get a report.
 */

export type Read<T> = { ok: true; value: T } | { ok: false; missing: boolean; reason: string };

export function readJsonSafe(path: string): Read<unknown> {
  if (!existsSync(path)) return { ok: false, missing: true, reason: `${basename(path)} is missing` };
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, "utf8")) };
  } catch (err) {
    return { ok: false, missing: false, reason: `${basename(path)} is unreadable: ${errorText(err)}` };
  }
}

/** Text of a file, or null when it does not exist or cannot be read. */
export function readTextSafe(path: string): string | null {
  try {
    return existsSync(path) ? readFileSync(path, "utf8") : null;
  } catch {
    return null;
  }
}

/**
 * The head of a text file, cut at a line boundary once it exceeds `maxBytes`, without reading
 * the rest of a huge file. `total_bytes` is the file size.
 */
export function readHead(
  path: string,
  maxBytes: number,
): { text: string; truncated: boolean; total_bytes: number; total_lines: number } | null {
  let fd: number | undefined;
  try {
    if (!existsSync(path)) return null;
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    if (size <= maxBytes) {
      const text = readFileSync(fd, "utf8");
      return { text, truncated: false, total_bytes: size, total_lines: countLines(text) };
    }
    const buf = Buffer.alloc(maxBytes);
    const n = readSync(fd, buf, 0, maxBytes, 0);
    let text = buf.subarray(0, n).toString("utf8");
    const lastNewline = text.lastIndexOf("\n");
    if (lastNewline > 0) text = text.slice(0, lastNewline + 1);
    return { text, truncated: true, total_bytes: size, total_lines: countLinesOfFile(fd, size) };
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n : n + 1;
}

function countLinesOfFile(fd: number, size: number): number {
  const chunk = Buffer.alloc(1 << 20);
  let n = 0;
  let last = 10;
  for (let pos = 0; pos < size; ) {
    const read = readSync(fd, chunk, 0, chunk.length, pos);
    if (read <= 0) break;
    for (let i = 0; i < read; i++) if (chunk[i] === 10) n++;
    last = chunk[read - 1]!;
    pos += read;
  }
  return last === 10 ? n : n + 1;
}

/** The last `maxChars` characters of a text, starting at a line boundary when one is near. */
export function tail(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  let out = text.slice(text.length - maxChars);
  const nl = out.indexOf("\n");
  if (nl !== -1 && nl < 200) out = out.slice(nl + 1);
  return { text: out, truncated: true };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export const numOrNull = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;
export const strOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);
