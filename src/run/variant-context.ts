import type { ResolvedVariant } from "../experiment/load.ts";

/**
 * What a variant adds to the agent's context, for run.json / variant.json. Filled in fully by
 * the context-variant support (file lists with hashes, MCP server names).
 */
export function variantContext(variant: ResolvedVariant): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  if (variant.instructions !== undefined) context.instructions = true;
  if (variant.overlay) context.overlay = variant.overlay;
  if (variant.copilot_home) context.copilot_home = variant.copilot_home;
  if (variant.mcp_servers) context.mcp_servers = Object.keys(variant.mcp_servers).sort();
  if (variant.agent) context.agent = variant.agent;
  return context;
}
