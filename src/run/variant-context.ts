import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ResolvedVariant } from "../experiment/load.ts";
import type { ContextFile, VariantContext } from "../store/schema.ts";
import { sha256Hex } from "../util/hash.ts";
import { INSTRUCTIONS_FILE } from "../workspace/provision.ts";

/**
 * What a variant adds to the agent's context, recorded in run.json and variant.json so a reader
 * of the results knows exactly what differed: files with content hashes, MCP server names.
 */

const sha256 = sha256Hex;

/** Every regular file under `dir`, sorted, with its hash (symlinks listed by their target text). */
export function listFiles(dir: string): ContextFile[] {
  if (!existsSync(dir)) return [];
  const files: ContextFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const data = readFileSync(path);
        files.push({ path: relative(dir, path), sha256: sha256(data), bytes: data.length });
      }
    }
  };
  walk(dir);
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function variantContext(variant: ResolvedVariant): VariantContext {
  const context: VariantContext = {};
  if (variant.instructions !== undefined) {
    const text = variant.instructions.endsWith("\n") ? variant.instructions : `${variant.instructions}\n`;
    context.instructions = { path: INSTRUCTIONS_FILE, sha256: sha256(text), bytes: Buffer.byteLength(text) };
  }
  if (variant.overlay && variant.overlay_path) {
    context.overlay = { path: variant.overlay, files: listFiles(variant.overlay_path) };
  }
  if (variant.copilot_home && variant.copilot_home_path) {
    context.copilot_home = { path: variant.copilot_home, files: listFiles(variant.copilot_home_path) };
  }
  if (variant.mcp_servers) context.mcp_servers = Object.keys(variant.mcp_servers).sort();
  if (variant.agent) context.agent = variant.agent;
  return context;
}

/** One line per addition, for `show` and the terminal: `instructions (.github/…, 38 B)`. */
export function describeContext(context: VariantContext): string[] {
  const lines: string[] = [];
  if (context.instructions)
    lines.push(
      `instructions → ${context.instructions.path} (${context.instructions.bytes} B, sha256 ${context.instructions.sha256.slice(0, 12)})`,
    );
  if (context.overlay)
    lines.push(
      `overlay ${context.overlay.path}: ${context.overlay.files.map((f) => f.path).join(", ") || "(empty)"}`,
    );
  if (context.copilot_home)
    lines.push(
      `copilot_home ${context.copilot_home.path}: ${context.copilot_home.files.map((f) => f.path).join(", ") || "(empty)"}`,
    );
  if (context.mcp_servers) lines.push(`MCP servers: ${context.mcp_servers.join(", ")}`);
  if (context.agent) lines.push(`agent: ${context.agent}`);
  return lines;
}
