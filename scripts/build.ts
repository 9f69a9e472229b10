/**
 * `bun run build`: compile the CLI into one self-contained executable, dist/copilot-experiments,
 * for this machine. Static assets (report CSS/JS) are embedded by their `with { type: "text" }`
 * imports. `bun run release` builds every platform (scripts/release.ts).
 */
import { renameSync, rmSync } from "node:fs";
import { buildCommit, compile } from "./_compile.ts";

const outfile = "dist/copilot-experiments";
const started = performance.now();
const commit = await buildCommit();
// Built beside the binary and renamed over it: a process running the old binary keeps it, and two
// builds at once (test files in parallel workers, each finding the sources newer) never leave a
// half-written file in its place.
const staging = `dist/.copilot-experiments.${process.pid}.tmp`;
try {
  await compile({ outfile: staging, commit });
  renameSync(staging, outfile);
} finally {
  rmSync(staging, { force: true });
}
const size = Bun.file(outfile).size;
console.error(
  `built ${outfile} (${(size / 1e6).toFixed(1)} MB, commit ${commit}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
