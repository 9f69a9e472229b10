import { terminalSafe } from "../render/terminal-safe.ts";
import type { SandboxPlan } from "../run/sandbox-plan.ts";
import type { Skipped } from "../store/json-file.ts";
import { log, printData } from "../util/log.ts";
import { outputRedactor } from "./output-guard.ts";

export { outputRedactor };

/**
 * What read commands print goes through the output guard's redactor (cli/output-guard.ts), as
 * every file the store writes goes through the writer's; JSON is redacted value by value first,
 * so a secret that JSON would escape is still found.
 */

/**
 * A human-readable view (tables, summaries, an inspected trial): redacted, and without the
 * control and escape sequences that names, errors and verify output may carry (the views' own
 * colours stay). Data (`--json`, CSV, JSONL) is printed as it is.
 */
export function printView(text: string): void {
  printData(terminalSafe(outputRedactor().redact(text), { multiline: true, keepColors: true }));
}

/** Walks the value only when the JSON text holds a secret (large analyses print fast). */
export function printRedactedJson(value: unknown): void {
  printData(outputRedactor().json(value));
}

/** A warning per file a lenient reading left out, naming it. */
export function warnSkipped(skipped: readonly Skipped[]): void {
  for (const s of skipped) log.warn(outputRedactor().redact(`skipped ${s.path}: ${s.reason}`));
}

/** One line per experiment whose sandbox is not what it asked for (`auto` without bwrap). */
export function logSandboxes(plans: ReadonlyMap<string, SandboxPlan>): void {
  for (const [slug, plan] of plans) {
    if (plan.mode === "bwrap") log.info(`${slug}: trials run in the bwrap sandbox (${plan.bwrap})`);
    else if (plan.note) log.warn(`${slug}: sandbox auto → none: ${plan.note}`);
  }
}
