import type { Skipped } from "../store/json-file.ts";
import { log, printData } from "../util/log.ts";
import { outputRedactor } from "./output-guard.ts";

export { outputRedactor };

/**
 * What read commands print goes through the output guard's redactor (cli/output-guard.ts), as
 * every file the store writes goes through the writer's; JSON is redacted value by value first,
 * so a secret that JSON would escape is still found.
 */

export function printRedacted(text: string): void {
  printData(outputRedactor().redact(text));
}

/** Walks the value only when the JSON text holds a secret (large analyses print fast). */
export function printRedactedJson(value: unknown): void {
  printData(outputRedactor().json(value));
}

/** A warning per file a lenient reading left out, naming it. */
export function warnSkipped(skipped: readonly Skipped[]): void {
  for (const s of skipped) log.warn(outputRedactor().redact(`skipped ${s.path}: ${s.reason}`));
}
