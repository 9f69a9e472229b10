import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Bytes of the regular files under a folder (symlinks not followed). */
export async function du(dir: string): Promise<number> {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await du(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}
