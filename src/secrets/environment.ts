import { isSecretName, TOKEN_VARIABLES } from "./redact.ts";

/**
 * Secret values present in an environment: the GitHub token variables and every variable whose
 * name looks secret (README, Secrets). What the harness prints is scrubbed of all of them.
 */
export function environmentSecrets(env: Record<string, string | undefined>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if ((TOKEN_VARIABLES as readonly string[]).includes(name) || isSecretName(name)) values.push(value);
  }
  return values;
}
