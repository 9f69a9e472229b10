/**
 * `bun run build`: compile the CLI into one self-contained executable, dist/copilot-experiments.
 * Static assets (report CSS/JS) are embedded by their `with { type: "text" }` imports.
 */
import { $ } from "bun";

const outfile = "dist/copilot-experiments";
const started = performance.now();
await $`bun build --compile --minify --sourcemap=none src/cli/main.ts --outfile ${outfile}`.quiet();
const size = Bun.file(outfile).size;
console.error(
  `built ${outfile} (${(size / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
