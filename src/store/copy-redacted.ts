import { mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Redactor } from "../secrets/redact.ts";
import { tempSibling, writeFileAtomic } from "./atomic.ts";

/**
 * Files up to this size are copied in one synchronous read and write: a trial's output and a
 * short session log would otherwise wait for the event loop at every chunk, behind the other
 * trials' work (docs/benchmarks.md, "Whole process").
 */
const WHOLE_BYTES = 4 * 1024 * 1024;

/**
 * Copy a text artifact into the results tree with every known secret value replaced: read whole
 * when small, else streamed line by line (a session log can be hundreds of MB). Written to a temp
 * sibling and renamed. Returns false when the source does not exist.
 */
export async function copyRedacted(from: string, to: string, redactor: Redactor): Promise<boolean> {
  let size: number;
  try {
    size = statSync(from).size;
  } catch {
    return false;
  }
  if (size <= WHOLE_BYTES) {
    const bytes = readFileSync(from);
    // Decoded as the streaming copy decodes, so both give the same file.
    writeFileAtomic(to, redactor.size === 0 ? bytes : redactor.redact(new TextDecoder().decode(bytes)));
    return true;
  }
  mkdirSync(dirname(to), { recursive: true });
  const tmp = tempSibling(to);
  const writer = Bun.file(tmp).writer();
  try {
    if (redactor.size === 0) {
      for await (const chunk of Bun.file(from).stream()) writer.write(chunk);
    } else {
      const decoder = new TextDecoder();
      let pending = "";
      for await (const chunk of Bun.file(from).stream()) {
        pending += decoder.decode(chunk, { stream: true });
        const cut = pending.lastIndexOf("\n");
        if (cut >= 0) {
          writer.write(redactor.redact(pending.slice(0, cut + 1)));
          pending = pending.slice(cut + 1);
        }
      }
      pending += decoder.decode();
      if (pending) writer.write(redactor.redact(pending));
    }
    await writer.end();
    renameSync(tmp, to);
    return true;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
