/**
 * Secrets never reach results, the index, the report or a printed line (README, "Security
 * model"). Two mechanisms: names that look secret are masked in stored definitions, and every
 * known secret value is scrubbed by a `Redactor`, which the store's writer applies to every
 * artifact it writes (src/store/writer.ts) and commands apply to what they print.
 */

export const REDACTED = "***redacted***";

const SECRET_NAME = /key|token|secret|password|passwd|bearer|credential|authorization/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** GitHub token variables, in the order the Copilot CLI reads them. */
export const TOKEN_VARIABLES = ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"] as const;

/** Replaces every occurrence of known secret values in text, and in every string of a value. */
export class Redactor {
  private readonly values: string[];
  /** The values as they appear inside JSON strings (quotes, backslashes, controls escaped). */
  private readonly escaped: string[];

  constructor(values: Iterable<string | undefined>) {
    // Longest first, so a secret that contains another is replaced whole. Very short values
    // would shred ordinary text and are not plausible secrets.
    this.values = [...new Set([...values].filter((v): v is string => !!v && v.length >= 6))].sort(
      (a, b) => b.length - a.length,
    );
    this.escaped = this.values.map((v) => JSON.stringify(v).slice(1, -1));
  }

  /** No secret is known: nothing to replace. */
  static readonly none = new Redactor([]);

  get size(): number {
    return this.values.length;
  }

  /** A redactor that knows the secrets of all of these. */
  static union(redactors: readonly Redactor[]): Redactor {
    return new Redactor(redactors.flatMap((r) => r.values));
  }

  /** A redactor that also knows `values` (a trial adds its invocation's secrets to the run's). */
  with(values: Iterable<string | undefined>): Redactor {
    return new Redactor([...this.values, ...values]);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.replaceAll(value, REDACTED);
    }
    return out;
  }

  /** Whether any secret value occurs in the text, as is or escaped inside a JSON string. */
  leaks(text: string): boolean {
    for (let i = 0; i < this.values.length; i++) {
      if (text.includes(this.values[i]!) || text.includes(this.escaped[i]!)) return true;
    }
    return false;
  }

  /** A copy of a JSON-like value with every string (keys too) redacted. */
  redactValue<T>(value: T): T {
    if (this.values.length === 0) return value;
    const walk = (node: unknown): unknown => {
      if (typeof node === "string") return this.redact(node);
      if (Array.isArray(node)) return node.map(walk);
      if (node !== null && typeof node === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(node)) out[this.redact(k)] = walk(v);
        return out;
      }
      return node;
    };
    return walk(value) as T;
  }

  /**
   * `JSON.stringify(value, null, 2)` with every secret redacted (walks the value only on a leak),
   * without a final newline: appending one to a text of megabytes would copy it (print and write
   * the newline on its own).
   */
  json(value: unknown): string {
    const text = JSON.stringify(value, null, 2);
    return this.leaks(text) ? JSON.stringify(this.redactValue(value), null, 2) : text;
  }
}

/**
 * The values of the GitHub token variables and of every variable whose name looks secret: what
 * read commands and derived artifacts scrub when they know no run's own secrets.
 */
export function environmentRedactor(env: Record<string, string | undefined>): Redactor {
  return new Redactor(environmentSecrets(env));
}

/** The secret values of an environment (see `environmentRedactor`). */
export function environmentSecrets(env: Record<string, string | undefined>): string[] {
  const names = new Set<string>(TOKEN_VARIABLES);
  for (const name of Object.keys(env)) if (isSecretName(name)) names.add(name);
  return [...names].map((n) => env[n]).filter((v): v is string => !!v);
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
