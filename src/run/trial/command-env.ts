import { TOKEN_VARIABLES } from "../../secrets/redact.ts";

/**
 * The environment of the harness's own shell commands in a workspace (setup, verify, `check`'s
 * solution): the harness's environment without the GitHub tokens. One definition, for trials
 * and `check` alike.
 */
export function commandEnv(base: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const name of TOKEN_VARIABLES) delete env[name];
  return env;
}
