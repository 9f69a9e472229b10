import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { Redactor } from "../secrets/redact.ts";
import { tempSibling } from "./atomic.ts";

/**
 * Copy a text artifact into the results tree with every known secret value replaced, streaming
 * line by line (a session log can be hundreds of MB). Written to a temp sibling and renamed.
 * Returns false when the source does not exist.
 */
export async function copyRedacted(from: string, to: string, redactor: Redactor): Promise<boolean> {
  if (!existsSync(from)) return false;
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
