import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let counter = 0;

/** Path of a temporary sibling: same folder, so the rename stays on one filesystem. */
export function tempSibling(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

/**
 * Write a file atomically: a reader sees the old content or the new one, never a torn file,
 * and a killed writer leaves at most a `.tmp` sibling behind. Several parts are written one
 * after the other: appending a newline to a large JSON text would copy all of it.
 */
export function writeFileAtomic(path: string, ...data: (string | Uint8Array)[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempSibling(path);
  try {
    const fd = openSync(tmp, "w");
    try {
      for (const part of data) writeAll(fd, part);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2), "\n");
}

/** `writeSync` until every byte is written (it may write less than it was given). */
function writeAll(fd: number, part: string | Uint8Array): void {
  let bytes = typeof part === "string" ? Buffer.from(part) : part;
  while (bytes.byteLength > 0) {
    const written = writeSync(fd, bytes);
    bytes = bytes.subarray(written);
  }
}

/** Temporary files left by a killed writer: `.name.<pid>.<n>.tmp`. */
export function isTempArtifact(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}
