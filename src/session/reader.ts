import { closeSync, openSync, readSync } from "node:fs";
import { type Json, obj } from "./_fields.ts";

/**
 * Streaming JSON Lines reading for session logs of any size: the file is read into a reusable
 * buffer and each line is decoded on its own, so memory is bounded by the largest line, not by
 * the file. Decoding line by line keeps an ASCII line a one-byte-per-character string even when
 * another line of the same chunk holds an emoji; a whole decoded chunk would be two bytes per
 * character, which JSON.parse reads more slowly (docs/benchmarks.md, "Session analysis").
 * Callbacks instead of an async iterator: one promise per line would cost more than parsing it.
 */

const CHUNK_BYTES = 1024 * 1024;
/** How much a long log is read between turns of the event loop (other trials' processes wait on it). */
const YIELD_EVERY_BYTES = 8 * CHUNK_BYTES;
const NEWLINE = 0x0a;
const BOM = "\uFEFF";

/**
 * JSC collects the garbage of millions of parsed lines lazily, so RSS drifts far above the live
 * heap. Every 64 MB read, a full collection runs if the process has grown past the ceiling: that
 * bounds the peak of a large analysis, while a log the heap absorbs pays nothing (a forced
 * collection costs ~0.1 s; three made a 200 MB analysis 20% slower, docs/benchmarks.md).
 */
const GC_CHECK_EVERY_BYTES = 64 * 1024 * 1024;
const GC_ABOVE_RSS_BYTES = 192 * 1024 * 1024;

export interface JsonlStats {
  /** Non-blank lines seen. */
  lines: number;
  /** Lines that were not a JSON object with a string `type` (truncated, garbage, wrong shape). */
  malformed: number;
}

function openForReading(path: string): number {
  try {
    return openSync(path, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`no such file: ${path}`);
    throw err;
  }
}

/**
 * Call `onLine` for every line of the file (without the newline). Throws only if the file cannot
 * be read. Reads are synchronous: a trial's short log is read without waiting for the event loop
 * behind other trials' work; a long one lets the loop run every `YIELD_EVERY_BYTES`.
 */
export async function forEachLine(path: string, onLine: (line: string) => void): Promise<void> {
  const fd = openForReading(path);
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    // Bytes of a line not yet ended, kept at the start of the buffer.
    let kept = 0;
    let first = true;
    let sinceGc = 0;
    let sinceYield = 0;
    const emit = (start: number, end: number) => {
      const line = buffer.toString("utf8", start, end);
      onLine(first && line.startsWith(BOM) ? line.slice(1) : line);
      first = false;
    };
    for (;;) {
      if (kept === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, kept);
        buffer = grown;
      }
      // At most a chunk at a time, also once a long line has grown the buffer.
      const bytesRead = readSync(fd, buffer, kept, Math.min(buffer.length - kept, CHUNK_BYTES), null);
      const end = kept + bytesRead;
      if (bytesRead === 0) {
        if (end > 0) emit(0, end);
        return;
      }
      let start = 0;
      let nl = buffer.indexOf(NEWLINE, kept);
      while (nl !== -1 && nl < end) {
        emit(start, nl);
        start = nl + 1;
        nl = buffer.indexOf(NEWLINE, start);
      }
      buffer.copy(buffer, 0, start, end);
      kept = end - start;
      sinceGc += bytesRead;
      sinceYield += bytesRead;
      if (sinceGc >= GC_CHECK_EVERY_BYTES) {
        sinceGc = 0;
        if (process.memoryUsage.rss() > GC_ABOVE_RSS_BYTES) Bun.gc(true);
      }
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Call `onRecord` for every line that is a JSON object with a string `type`. Anything else is
 * counted as malformed and skipped, and so is a record whose handler threw: a log line must never
 * abort the analysis of the rest.
 */
export async function readJsonl(path: string, onRecord: (record: Json) => void): Promise<JsonlStats> {
  const stats: JsonlStats = { lines: 0, malformed: 0 };
  await forEachLine(path, (line) => {
    if (line.length === 0 || (line.length < 8 && line.trim() === "")) return;
    stats.lines += 1;
    let record: Json | undefined;
    try {
      record = obj(JSON.parse(line));
    } catch {
      stats.malformed += 1;
      return;
    }
    if (record === undefined || typeof record.type !== "string") {
      stats.malformed += 1;
      return;
    }
    try {
      onRecord(record);
    } catch {
      stats.malformed += 1;
    }
  });
  return stats;
}
