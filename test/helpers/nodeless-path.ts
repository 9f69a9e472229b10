import { existsSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./tmp.ts";

const RUNTIMES = new Set(["node", "nodejs", "npm", "npx", "corepack", "bun", "bunx"]);

/**
 * A PATH with every command of the current PATH except Node and Bun (and their package
 * managers): one folder of symlinks, removed after the test file. What a bare CI image has.
 */
export function nodelessPath(): string {
  const dir = tempDir("cx-nodeless-");
  const seen = new Set<string>();
  for (const folder of (process.env.PATH ?? "").split(":")) {
    if (!folder || !existsSync(folder)) continue;
    let names: string[] = [];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      if (RUNTIMES.has(name) || seen.has(name)) continue;
      seen.add(name);
      symlinkSync(join(folder, name), join(dir, name));
    }
  }
  return dir;
}
