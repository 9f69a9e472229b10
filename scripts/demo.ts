/**
 * `bun run demo`: build the binary and run the bundled example with the real Copilot CLI (the
 * dev dependency) against the built-in scripted model provider. No credentials, no network,
 * no cost. Prints where the results and the report are.
 */
import { join, resolve } from "node:path";
import { $ } from "bun";

const root = resolve(import.meta.dir, "..");
await $`bun run build`.cwd(root);
const binary = join(root, "dist", "copilot-experiments");
const copilot = join(root, "node_modules", ".bin", "copilot");
const proc = Bun.spawn([binary, "run", "--root", root, "--copilot", copilot, ...process.argv.slice(2)], {
  stdio: ["inherit", "inherit", "inherit"],
});
const code = await proc.exited;
if (code === 0) {
  console.error(`\nNext: ${binary} show --last --root ${root}   (or open the report above in a browser)`);
}
process.exit(code);
