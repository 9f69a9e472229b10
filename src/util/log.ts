import { colorFor, writeStderr, writeStdout } from "./stdio.ts";

/**
 * Logs go to stderr, always: stdout carries data (`--json`, `export`, `schema`) so pipes stay
 * clean. One line per message, marked by its kind; coloured as `colorFor` says (a terminal,
 * NO_COLOR, FORCE_COLOR, TERM=dumb; docs/adr/0019-stdio-without-streams.md).
 */

type Kind = "info" | "success" | "warn" | "error";

const MARKS: Record<Kind, { mark: string; color: number }> = {
  info: { mark: "ℹ", color: 36 },
  success: { mark: "✔", color: 32 },
  warn: { mark: "warning:", color: 33 },
  error: { mark: "error:", color: 31 },
};

/** The line a message is logged as (without its newline). */
export function logLine(kind: Kind, message: string, color: boolean): string {
  const { mark, color: code } = MARKS[kind];
  return `${color ? `\x1b[${code}m${mark}\x1b[39m` : mark} ${message}`;
}

function emit(kind: Kind, message: string): void {
  writeStderr(`${logLine(kind, message, colorFor(2))}\n`);
}

export const log = {
  info: (message: string) => emit("info", message),
  success: (message: string) => emit("success", message),
  warn: (message: string) => emit("warn", message),
  error: (message: string) => emit("error", message),
};

/**
 * Write data to stdout (the only place the CLI prints data), ending in a newline written on its
 * own: appending it to a text of megabytes would copy the text.
 */
export function printData(text: string): void {
  writeStdout(text);
  if (!text.endsWith("\n")) writeStdout("\n");
}

export function printJson(value: unknown): void {
  printData(JSON.stringify(value, null, 2));
}
