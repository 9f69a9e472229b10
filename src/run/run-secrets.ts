import type { GithubToken } from "../copilot/auth.ts";
import { mcpInvocation } from "../copilot/mcp.ts";
import type { Experiment } from "../experiment/load.ts";
import { Redactor } from "../secrets/redact.ts";

/**
 * The secret values a run knows before its first trial, for the run's writer: the GitHub token,
 * the values of every variant's secret environment entries, provider keys and MCP server
 * secrets. Each trial adds the secrets of its own invocation (run/trial/invoke.ts).
 */
export function runSecrets(experiment: Experiment, token: GithubToken | undefined): string[] {
  const values: (string | undefined)[] = [token?.token];
  for (const variant of experiment.variants) {
    for (const key of variant.secret_env_keys) values.push(variant.env[key]);
    values.push(variant.provider?.api_key, variant.provider?.bearer_token);
    values.push(...(mcpInvocation(variant, experiment.secret_paths)?.secretValues ?? []));
  }
  return values.filter((v): v is string => !!v);
}

export function runRedactor(experiment: Experiment, token: GithubToken | undefined): Redactor {
  return new Redactor(runSecrets(experiment, token));
}
