import { afterAll } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeCreated } from "./tmp.ts";

// Preloaded once for the whole run (bunfig.toml). Every temporary folder of this run — the
// tests' own and those of every process they start, which inherit TMPDIR — goes into one
// folder of its own, so whatever is left in it at the end is a leak of this run (other runs
// on the machine use their own).
const suiteTmp = mkdtempSync(join(tmpdir(), "cx-suite-"));
process.env.TMPDIR = suiteTmp;

/**
 * Node's module compile cache, which the real Copilot CLI keeps in the temporary folder
 * (`os.tmpdir()/node-compile-cache`) and reuses from one process to the next: a cache, not a
 * leak; it goes with the suite's folder below.
 */
const SHARED_CACHES = new Set(["node-compile-cache"]);

/** What a run of the suite left behind, after its own clean-up: names in its TMPDIR. */
export function leftovers(): string[] {
  return readdirSync(suiteTmp)
    .filter((name) => !SHARED_CACHES.has(name))
    .sort();
}

// A hook registered in a preload runs once, after every test file. Removing what the suite
// made (release builds, Copilot CLIs) can take longer than a hook's default 5 s.
afterAll(() => {
  removeCreated();
  if (process.env.KEEP_TMP) return;
  const left = leftovers();
  rmSync(suiteTmp, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `the test run left ${left.length} temporary entr${left.length === 1 ? "y" : "ies"} behind: ${left.slice(0, 20).join(", ")}. Every test removes what it creates (test/helpers/tmp.ts tempDir), and so does the code it runs.`,
    );
  }
}, 300_000);
