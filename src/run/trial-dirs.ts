import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killGroup } from "../process/run-group.ts";
import { canFindScopes, killScope } from "../process/scope.ts";
import { readPgid } from "../store/artifacts.ts";

/** Trial folders across runs and resumes: cleaning up after a killed harness. */

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
  if (canFindScopes()) {
    await killScope(scope);
  } else {
    const pgid = readPgid(dir);
    if (pgid !== undefined) killGroup(pgid, "SIGKILL");
  }
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(stagingPrefix)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}
