import { UserError } from "../errors.ts";
import { SANDBOX_MODES, type SandboxMode } from "../experiment/schema.ts";

/** Parsing the values of command options, with errors that name the option (exit 2). */

/** Parse a numeric option with a clear error. */
export function parseNumberArg(name: string, value: unknown, opts: { min?: number; max?: number } = {}) {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (
    !Number.isFinite(n) ||
    (opts.min !== undefined && n < opts.min) ||
    (opts.max !== undefined && n > opts.max)
  ) {
    const range = [
      opts.min !== undefined ? `>= ${opts.min}` : "",
      opts.max !== undefined ? `<= ${opts.max}` : "",
    ]
      .filter(Boolean)
      .join(" and ");
    throw new UserError(
      `--${name} expects a number${range ? ` ${range}` : ""}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Parse an integer option with a clear error. */
export function parseIntArg(name: string, value: unknown, opts: { min?: number } = {}): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || (opts.min !== undefined && n < opts.min)) {
    const bound = opts.min !== undefined ? ` >= ${opts.min}` : "";
    throw new UserError(`--${name} expects an integer${bound}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Parse a probability strictly between 0 and 1 (alpha, margin, power, rates of change). */
export function parseProbability(name: string, value: unknown): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new UserError(
      `--${name} expects a number between 0 and 1 (exclusive), got ${JSON.stringify(value)}`,
      {
        hint: name === "alpha" ? "e.g. --alpha 0.05" : `e.g. --${name} 0.1`,
      },
    );
  }
  return n;
}

/** `--sandbox MODE`, checked like every option (exit 2 naming the choices). */
export function parseSandbox(value: string | undefined): SandboxMode | undefined {
  if (value === undefined) return undefined;
  if ((SANDBOX_MODES as readonly string[]).includes(value)) return value as SandboxMode;
  throw new UserError(`--sandbox must be one of ${SANDBOX_MODES.join(", ")}; found ${JSON.stringify(value)}`);
}
