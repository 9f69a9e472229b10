import { test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SHARED_SESSIONS } from "./cli.ts";

/**
 * The recorded sessions in ../shared/sessions, read in place (never copied into the project).
 * When the folder is absent, the tests that need them say so: a skipped test per use, named for
 * what did not run, and a warning.
 */

export const HAS_SHARED_SESSIONS = existsSync(SHARED_SESSIONS);

/** The recorded sessions (folders with an events.jsonl), sorted; none when the folder is absent. */
export function sharedSessionNames(): string[] {
  if (!HAS_SHARED_SESSIONS) return [];
  return readdirSync(SHARED_SESSIONS)
    .filter((name) => existsSync(join(SHARED_SESSIONS, name, "events.jsonl")))
    .sort();
}

/** Register a visibly skipped test when the recorded sessions are absent; true when they are. */
export function skippedWithoutSharedSessions(what: string): boolean {
  if (HAS_SHARED_SESSIONS) return false;
  console.warn(`skipped: ${what} (needs the recorded sessions in ${SHARED_SESSIONS})`);
  test.skip(`${what} (needs ../shared/sessions, absent here)`, () => {});
  return true;
}
