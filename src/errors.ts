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

export const EXIT = {
  ok: 0,
  threshold: 1,
  invalidInput: 2,
  interrupted: 130,
} as const;
