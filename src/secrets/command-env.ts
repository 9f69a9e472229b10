import { isSecretName, TOKEN_VARIABLES } from "./redact.ts";

/**
 * The environment of setup, verify and `check`'s solution commands: they run code the agent
 * controls (verify runs the agent's edited tests), so they get what the agent's own shells get —
 * the harness's environment without GitHub tokens, without any variable whose name looks secret
 * and without the variables `${VAR}` interpolation read — except the names the task lets through
 * with `verify_env` (README, Security model).
 */
export function commandEnv(
  base: Record<string, string | undefined>,
  opts: { interpolated?: readonly string[]; allow?: readonly string[] } = {},
): Record<string, string> {
  const allow = new Set(opts.allow ?? []);
  const hidden = new Set<string>([...TOKEN_VARIABLES, ...(opts.interpolated ?? [])]);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (!allow.has(name) && (hidden.has(name) || isSecretName(name))) continue;
    env[name] = value;
  }
  return env;
}
