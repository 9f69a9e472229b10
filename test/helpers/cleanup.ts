import { afterAll, setDefaultTimeout } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeCreated } from "./tmp.ts";

// Preloaded (bunfig.toml) once for a plain `bun test`, and before every file under `bun run test`
// (`--parallel`: workers, each file isolated). Every temporary folder of what it covers — the
// tests' own and those of every process they start, which inherit TMPDIR — goes into one folder
// of its own, so whatever is left in it at the end is a leak (other files and runs use their own).
const suiteTmp = mkdtempSync(join(tmpdir(), "cx-suite-"));
process.env.TMPDIR = suiteTmp;

/**
 * Node's module compile cache, which the real Copilot CLI keeps in the temporary folder
 * (`os.tmpdir()/node-compile-cache`) and reuses from one process to the next: a cache, not a
 * leak; it goes with the suite's folder below.
 */
// A timeout catches a hang; it is not a time limit. Files running side by side share the cores,
// so a test that takes 4 s alone can take 6: a file that needs longer still sets its own.
setDefaultTimeout(30_000);

const SHARED_CACHES = new Set(["node-compile-cache"]);

/** What a run of the suite left behind, after its own clean-up: names in its TMPDIR. */
export function leftovers(): string[] {
  return readdirSync(suiteTmp)
    .filter((name) => !SHARED_CACHES.has(name))
    .sort();
}

// A hook registered in a preload runs after the last test file it covers. Removing what the suite
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
