/**
 * An error the user can fix: printed without a stack trace, with a hint, and mapped to an
 * exit code (2 = invalid input, per the command-line contract).
 */
export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  /** Extra lines shown under the message (e.g. one per problem in an experiment file). */
  readonly details: string[];

  constructor(message: string, opts: { hint?: string; exitCode?: number; details?: string[] } = {}) {
    super(message);
    this.name = "UserError";
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 2;
    this.details = opts.details ?? [];
  }
}

/** Exit codes (README, Exit codes; ADR 0016). */
export const EXIT = {
  ok: 0,
  /** The command ran to its end and its verdict is "no": check, dry run, --fail-under, a gate. */
  threshold: 1,
  /** Something the user can fix before anything runs: input, a run or file not found, preflight. */
  invalidInput: 2,
  /** An unexpected internal error: a bug. */
  bug: 3,
  /** A run finished but no trial ran: every one ended copilot_failed or harness_error. */
  runFailed: 4,
  interrupted: 130,
} as const;
