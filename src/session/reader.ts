import { type Json, obj } from "./_fields.ts";

/**
 * Streaming JSON Lines reading for session logs of any size: the file is read in chunks,
 * decoded with a streaming TextDecoder and split on newlines, so memory is bounded by the
 * largest line, not by the file. Callbacks instead of an async iterator: one promise per line
 * would cost more than parsing it.
 */

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

/** Call `onLine` for every line of the file (without the newline). Throws only if the file cannot be read. */
export async function forEachLine(path: string, onLine: (line: string) => void): Promise<void> {
  const file = Bun.file(path);
  if (!(await file.exists())) throw new Error(`no such file: ${path}`);
  const decoder = new TextDecoder("utf-8");
  // Pieces of a line that spans chunks, joined once its end is found: linear in the line length.
  let pending: string[] = [];
  const consume = (text: string) => {
    let start = 0;
    let nl = text.indexOf("\n");
    if (nl === -1) {
      if (text.length > 0) pending.push(text);
      return;
    }
    if (pending.length > 0) {
      pending.push(text.slice(0, nl));
      onLine(pending.join(""));
      pending = [];
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    while (nl !== -1) {
      onLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    if (start < text.length) pending.push(text.slice(start));
  };
  let sinceGc = 0;
  for await (const chunk of file.stream()) {
    consume(decoder.decode(chunk, { stream: true }));
    sinceGc += chunk.byteLength;
    if (sinceGc >= GC_CHECK_EVERY_BYTES) {
      sinceGc = 0;
      if (process.memoryUsage.rss() > GC_ABOVE_RSS_BYTES) Bun.gc(true);
    }
  }
  consume(decoder.decode());
  if (pending.length > 0) onLine(pending.join(""));
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
