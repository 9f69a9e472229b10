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
// Built in a folder of its own beside the binary and renamed over it: a process running the old
// binary keeps it, and two builds at once never leave a half-written file in its place. The file
// keeps its name inside the build (it shows in stack traces), so builds stay reproducible.
const staging = `dist/.staging-${process.pid}`;
try {
  await compile({ outfile: `${staging}/copilot-experiments`, commit });
  renameSync(`${staging}/copilot-experiments`, outfile);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
const size = Bun.file(outfile).size;
console.error(
  `built ${outfile} (${(size / 1e6).toFixed(1)} MB, commit ${commit}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
