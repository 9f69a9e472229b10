/**
 * `${VAR}` and `${VAR:-default}` in string values, read from an environment. `$${` escapes a
 * literal `${`. Unset variables without a default are reported by path, never silently empty.
 */

export type PathSegment = string | number;

export interface InterpolationProblem {
  path: PathSegment[];
  variable: string;
}

export interface InterpolationResult<T> {
  value: T;
  problems: InterpolationProblem[];
  /** Names of environment variables that were read (set or defaulted). */
  variablesRead: Set<string>;
  /** Paths (joined with '.') of string values that contained at least one reference. */
  interpolatedPaths: Set<string>;
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateString(
  input: string,
  env: Record<string, string | undefined>,
  onMissing: (name: string) => void,
  onRead: (name: string) => void,
): string {
  return input.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === "$${") return "${";
    if (name === undefined) return match;
    onRead(name);
    const value = env[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    if (value !== undefined) return value;
    onMissing(name);
    return "";
  });
}

export function interpolate<T>(value: T, env: Record<string, string | undefined>): InterpolationResult<T> {
  const problems: InterpolationProblem[] = [];
  const variablesRead = new Set<string>();
  const interpolatedPaths = new Set<string>();

  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === "string") {
      if (!node.includes("${")) return node;
      interpolatedPaths.add(path.join("."));
      return interpolateString(
        node,
        env,
        (variable) => problems.push({ path, variable }),
        (name) => variablesRead.add(name),
      );
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };

  return { value: walk(value, []) as T, problems, variablesRead, interpolatedPaths };
}
