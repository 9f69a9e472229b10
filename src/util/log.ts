import { createConsola } from "consola";

/**
 * Logs go to stderr, always: stdout carries data (`--json`, `export`, `schema`) so pipes stay
 * clean. Colours follow consola's detection (TTY, NO_COLOR).
 */
export const log = createConsola({
  // An explicit level: consola would otherwise go quiet whenever NODE_ENV=test.
  level: 3,
  stdout: process.stderr,
  stderr: process.stderr,
  formatOptions: { date: false },
}).withTag("copilot-experiments");

/** Write data to stdout (the only place the CLI prints data). */
export function printData(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  printData(JSON.stringify(value, null, 2));
}
