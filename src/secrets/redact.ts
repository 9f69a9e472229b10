/**
 * Secrets never reach results, the index, the report or a log line (SPEC 7). Two mechanisms:
 * names that look secret are masked in stored definitions, and every known secret value is
 * scrubbed from text artifacts before they are written.
 */

export const REDACTED = "***redacted***";

const SECRET_NAME = /key|token|secret|password|passwd|bearer|credential|authorization/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** GitHub token variables, in the order the Copilot CLI reads them. */
export const TOKEN_VARIABLES = ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"] as const;

/** Replaces every occurrence of known secret values in text. */
export class Redactor {
  private readonly values: string[];

  constructor(values: Iterable<string | undefined>) {
    // Longest first, so a secret that contains another is replaced whole. Very short values
    // would shred ordinary text and are not plausible secrets.
    this.values = [...new Set([...values].filter((v): v is string => !!v && v.length >= 6))].sort(
      (a, b) => b.length - a.length,
    );
  }

  get size(): number {
    return this.values.length;
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.replaceAll(value, REDACTED);
    }
    return out;
  }

  /** Whether any secret value occurs in the text (used by tests and self-checks). */
  leaks(text: string): boolean {
    return this.values.some((v) => text.includes(v));
  }
}

/**
 * Copy of a definition with secret-looking fields masked: provider `api_key` / `bearer_token`,
 * any mapping key that looks secret (env, MCP env and headers), and every string value that was
 * interpolated from a variable whose name looks secret.
 */
export function redactDefinition<T>(definition: T, opts: { secretPaths?: ReadonlySet<string> } = {}): T {
  const walk = (node: unknown, path: (string | number)[], key: string | number | undefined): unknown => {
    if (typeof node === "string") {
      if (typeof key === "string" && isSecretName(key)) return REDACTED;
      if (opts.secretPaths?.has(path.join("."))) return REDACTED;
      return node;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i], key));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k], k);
      return out;
    }
    return node;
  };
  return walk(definition, [], undefined) as T;
}
