import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killGroup } from "../process/run-group.ts";
import { canFindScopes, killScope } from "../process/scope.ts";
import { ARTIFACTS } from "../results/layout.ts";
import { type TrialMeta, TrialMetaSchema } from "../results/schema.ts";
import { isTempArtifact } from "../util/fs-atomic.ts";
import { PGID_FILE } from "./trial.ts";

/** Trial folders across runs and resumes: reading back, archiving attempts, cleaning up after a crash. */

export function readTrialMeta(dir: string): TrialMeta | undefined {
  const path = join(dir, ARTIFACTS.meta);
  if (!existsSync(path)) return undefined;
  try {
    return TrialMetaSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return undefined; // unreadable = unfinished: resume re-runs it
  }
}

/** Move a failed attempt's artifacts aside (`attempts/<n>/`) so the next attempt starts clean. */
export function archiveAttempt(dir: string, attempt: number): string {
  const rel = join("attempts", String(attempt));
  const target = join(dir, rel);
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(dir)) {
    if (entry === "attempts") continue;
    renameSync(join(dir, entry), join(target, entry));
  }
  return rel;
}

/**
 * A trial left running by a killed harness: kill every process of its scope (Linux), else its
 * Copilot process group, and remove its staging folders (raw, unredacted output) before the
 * trial runs again.
 */
export async function cleanUpAfterKilledTrial(
  dir: string,
  scope: string,
  stagingPrefix: string,
): Promise<void> {
  if (canFindScopes()) await killScope(scope);
  else killOrphanedGroup(dir);
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(stagingPrefix)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function killOrphanedGroup(dir: string): void {
  try {
    const pgid = Number(readFileSync(join(dir, PGID_FILE), "utf8").trim());
    if (Number.isInteger(pgid) && pgid > 1) killGroup(pgid, "SIGKILL");
  } catch {
    // no pid file: nothing was running
  }
}

/** Leftover temp files of a killed writer; removed so no later reader trips over them. */
export function removeTempArtifacts(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== ARTIFACTS.workspace) removeTempArtifacts(path);
    else if (entry.isFile() && isTempArtifact(entry.name)) rmSync(path, { force: true });
  }
}
