import { afterAll } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const created: string[] = [];

/** A fresh temporary folder, removed after the test file (unless KEEP_TMP is set). */
export function tempDir(prefix = "cx-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Remove every folder `tempDir` made so far (also run by the preload after the files it covers: see bunfig.toml). */
export function removeCreated(): void {
  if (process.env.KEEP_TMP) return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// A plain `bun test` loads this module once for the whole run, so this afterAll belongs to the
// first test file only; the preload (test/helpers/cleanup.ts) removes what later files created.
// Under `bun run test` (parallel workers, files isolated) each file loads it afresh.
afterAll(removeCreated, 120_000);

/** Write files given as { "relative/path": "content" } under dir. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}
