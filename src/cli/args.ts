import { UserError } from "../errors.ts";
import { SANDBOX_MODES, type SandboxMode } from "../experiment/schema.ts";

/** Argument fragments shared by many commands, spread into each command's `args`. */

export const rootArgs = {
  root: {
    type: "string",
    description: "Experiment root (holds experiments/, fixtures/, results/)",
    default: ".",
    valueHint: "DIR",
  },
} as const;

export const jsonArgs = {
  json: { type: "boolean", description: "Print machine-readable JSON on stdout", default: false },
} as const;

export const verboseArgs = {
  verbose: {
    type: "boolean",
    description: "More output; stack traces for unexpected errors",
    default: false,
  },
} as const;

/** RUN positional + `--last`: a run id, a unique prefix of one, or the most recent run. */
export const runSelectorArgs = {
  run: { type: "positional", description: "Run id or a unique prefix of one", required: false },
  last: { type: "boolean", description: "Use the most recent run", default: false },
} as const;

export const trialSelectorArgs = {
  variant: { type: "string", description: "Variant name or slug (default: the first)", valueHint: "V" },
  task: { type: "string", description: "Task name or slug (default: the first)", valueHint: "T" },
  trial: { type: "string", description: "Trial number (default: 1)", valueHint: "N" },
} as const;

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

export const sandboxArgs = {
  sandbox: {
    type: "string",
    description:
      "Sandbox for trials: auto (bwrap when it works here), bwrap, none (default: the experiment's)",
    valueHint: "MODE",
  },
} as const;

/** `--sandbox MODE`, checked like every option (exit 2 naming the choices). */
export function parseSandbox(value: string | undefined): SandboxMode | undefined {
  if (value === undefined) return undefined;
  if ((SANDBOX_MODES as readonly string[]).includes(value)) return value as SandboxMode;
  throw new UserError(`--sandbox must be one of ${SANDBOX_MODES.join(", ")}; found ${JSON.stringify(value)}`);
}
