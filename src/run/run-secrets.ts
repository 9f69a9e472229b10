import type { GithubToken } from "../copilot/auth.ts";
import { mcpInvocation } from "../copilot/mcp.ts";
import type { Experiment } from "../experiment/load.ts";
import { environmentSecrets, Redactor } from "../secrets/redact.ts";

/**
 * The secret values a run knows before its first trial, for the run's writer: the GitHub token,
 * every secret-looking variable of the harness's environment (and so every value interpolated
 * from one, wherever it landed: a prompt, a setup or verify command), the values of every
 * variant's secret environment entries, provider keys and MCP server secrets. Each trial adds
 * the secrets of its own invocation (run/trial/invoke.ts).
 */
export function runSecrets(
  experiment: Experiment,
  token: GithubToken | undefined,
  env: Record<string, string | undefined> = {},
): string[] {
  const values: (string | undefined)[] = [token?.token, ...environmentSecrets(env)];
  for (const variant of experiment.variants) {
    for (const key of variant.secret_env_keys) values.push(variant.env[key]);
    values.push(variant.provider?.api_key, variant.provider?.bearer_token);
    values.push(...(mcpInvocation(variant, experiment.secret_paths)?.secretValues ?? []));
  }
  return values.filter((v): v is string => !!v);
}

export function runRedactor(
  experiment: Experiment,
  token: GithubToken | undefined,
  env: Record<string, string | undefined> = {},
): Redactor {
  return new Redactor(runSecrets(experiment, token, env));
}
