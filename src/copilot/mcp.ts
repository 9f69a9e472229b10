import type { ResolvedVariant } from "../experiment/load.ts";
import { isSecretName } from "../secrets/redact.ts";

export interface McpInvocation {
  /** JSON for `--additional-mcp-config`: `{"mcpServers": {...}}`. */
  config: string;
  /** Names of MCP server environment variables that carry secrets (for --secret-env-vars). */
  secretNames: string[];
  /** Their values, scrubbed from every stored artifact. */
  secretValues: string[];
}

/**
 * A variant's `mcp_servers` as the Copilot CLI takes them. Values were already interpolated
 * from `${VAR}`; a value counts as secret when its key looks secret (env, headers) or it came
 * from the environment (`secretPaths`, computed by the loader).
 */
export function mcpInvocation(
  variant: ResolvedVariant,
  secretPaths: ReadonlySet<string>,
): McpInvocation | undefined {
  const servers = variant.mcp_servers;
  if (!servers || Object.keys(servers).length === 0) return undefined;
  const secretNames = new Set<string>();
  const secretValues = new Set<string>();
  for (const [name, server] of Object.entries(servers)) {
    for (const field of ["env", "headers"] as const) {
      for (const [key, value] of Object.entries(server[field] ?? {})) {
        const fromEnv = secretPaths.has(`variants.${variant.index}.mcp_servers.${name}.${field}.${key}`);
        if (isSecretName(key) || fromEnv) {
          secretValues.add(value);
          if (field === "env") secretNames.add(key);
        }
      }
    }
    for (const [i, arg] of (server.args ?? []).entries()) {
      if (secretPaths.has(`variants.${variant.index}.mcp_servers.${name}.args.${i}`)) secretValues.add(arg);
    }
  }
  return {
    config: JSON.stringify({ mcpServers: servers }),
    secretNames: [...secretNames],
    secretValues: [...secretValues],
  };
}
