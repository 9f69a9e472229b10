import { chmodSync, lstatSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * Remove a folder of the results tree even when what is inside was made hard to remove: an
 * agent can leave folders without write permission in its workspace, which a plain recursive
 * remove refuses. Such folders are made writable first, never following a link.
 */
export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
    return;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== "EACCES" && code !== "EPERM") throw err;
  }
  makeWritable(path);
  rmSync(path, { recursive: true, force: true });
}

function makeWritable(dir: string): void {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(dir);
  } catch {
    return;
  }
  if (!stat.isDirectory()) return;
  chmodSync(dir, (Number(stat.mode) & 0o7777) | 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) makeWritable(join(dir, entry.name));
  }
}
