import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * Custom agents a variant makes available: `.github/agents/*.agent.md` (or `*.md`) in the
 * workspace (overlay or fixture) and `agents/*.agent.md` in COPILOT_HOME. An agent is known by
 * its file stem and by the `name:` in its front matter.
 */

function frontMatterName(path: string): string | undefined {
  try {
    const text = readFileSync(path, "utf8");
    const match = /^---\n([\s\S]*?)\n---/.exec(text);
    const name = match && /^name:\s*["']?([^"'\n]+?)["']?\s*$/m.exec(match[1]!);
    return name?.[1]?.trim();
  } catch {
    return undefined;
  }
}

export function agentsIn(dir: string): { name: string; file: string }[] {
  if (!existsSync(dir)) return [];
  const agents: { name: string; file: string }[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".md")) continue;
    const path = join(dir, file);
    const stem = basename(file).replace(/\.agent\.md$|\.md$/, "");
    agents.push({ name: stem, file: path });
    const declared = frontMatterName(path);
    if (declared && declared !== stem) agents.push({ name: declared, file: path });
  }
  return agents;
}

export function findAgent(
  name: string,
  places: { overlay?: string; home?: string; fixtures?: string[] },
): { where: string; file: string } | undefined {
  const candidates: [string, string][] = [];
  if (places.overlay) candidates.push([join(places.overlay, ".github", "agents"), "overlay"]);
  if (places.home) candidates.push([join(places.home, "agents"), "copilot_home"]);
  for (const fixture of places.fixtures ?? [])
    candidates.push([join(fixture, ".github", "agents"), "fixture"]);
  for (const [dir, where] of candidates) {
    const hit = agentsIn(dir).find((a) => a.name === name);
    if (hit) return { where, file: hit.file };
  }
  return undefined;
}
