/**
 * `bun run install-local [--prefix DIR]`: build the binary from this checkout (when a source
 * file is newer than dist/copilot-experiments) and copy it into DIR (default ~/.local/bin, as
 * scripts/install.sh), so `copilot-experiments` works from any folder. Says how to put DIR on
 * PATH when it is not.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { $ } from "bun";

const { values } = parseArgs({ options: { prefix: { type: "string" } } });
const root = resolve(import.meta.dir, "..");
const prefix = resolve(
  values.prefix ?? process.env.COPILOT_EXPERIMENTS_PREFIX ?? join(homedir(), ".local", "bin"),
);
const binary = join(root, "dist", "copilot-experiments");

function newestSource(): number {
  let newest = statSync(join(root, "package.json")).mtimeMs;
  for (const file of new Bun.Glob("src/**/*").scanSync({ cwd: root }))
    newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

if (!existsSync(binary) || statSync(binary).mtimeMs < newestSource()) {
  await $`bun run build`.cwd(root);
}
mkdirSync(prefix, { recursive: true });
const dest = join(prefix, "copilot-experiments");
// Copy then rename: a running copy of the old binary is never overwritten in place.
copyFileSync(binary, `${dest}.tmp`);
chmodSync(`${dest}.tmp`, 0o755);
renameSync(`${dest}.tmp`, dest);
console.error(`installed ${dest}`);
const onPath = (process.env.PATH ?? "").split(delimiter).some((d) => d && resolve(d) === prefix);
if (!onPath) {
  console.error(`${prefix} is not on your PATH. Add it (e.g. in ~/.profile), then open a new shell:`);
  console.error(`  export PATH="${prefix}:$PATH"`);
}
