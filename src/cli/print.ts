import { environmentRedactor, type Redactor } from "../secrets/redact.ts";
import type { Skipped } from "../store/json-file.ts";
import { log, printData, printJson } from "../util/log.ts";

/**
 * What read commands print goes through a redactor, as every file the store writes does: the
 * values of the GitHub token variables and of secret-looking variables of the environment.
 */

let shared: Redactor | undefined;

/** The redactor of this process's environment (built once). */
export function outputRedactor(): Redactor {
  shared ??= environmentRedactor(process.env);
  return shared;
}

export function printRedacted(text: string): void {
  printData(outputRedactor().redact(text));
}

export function printRedactedJson(value: unknown): void {
  printJson(outputRedactor().redactValue(value));
}

/** A warning per file a lenient reading left out, naming it. */
export function warnSkipped(skipped: readonly Skipped[]): void {
  for (const s of skipped) log.warn(outputRedactor().redact(`skipped ${s.path}: ${s.reason}`));
}
