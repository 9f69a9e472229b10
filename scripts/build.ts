/**
 * `bun run build`: compile the CLI into one self-contained executable, dist/copilot-experiments,
 * for this machine. Static assets (report CSS/JS) are embedded by their `with { type: "text" }`
 * imports. `bun run release` builds every platform (scripts/release.ts).
 */
import { buildCommit, compile } from "./_compile.ts";

const outfile = "dist/copilot-experiments";
const started = performance.now();
const commit = await buildCommit();
await compile({ outfile, commit });
const size = Bun.file(outfile).size;
console.error(
  `built ${outfile} (${(size / 1e6).toFixed(1)} MB, commit ${commit}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
