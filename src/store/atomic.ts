import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let counter = 0;

/** Path of a temporary sibling: same folder, so the rename stays on one filesystem. */
export function tempSibling(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

/**
 * Write a file atomically: a reader sees the old content or the new one, never a torn file,
 * and a killed writer leaves at most a `.tmp` sibling behind.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempSibling(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Temporary files left by a killed writer: `.name.<pid>.<n>.tmp`. */
export function isTempArtifact(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}
