import { killGroup } from "../process/run-group.ts";
import { readPgid } from "../store/artifacts.ts";

/** Trial folders across runs and resumes: cleaning up after a killed harness. */

/** A trial left running by a killed harness: kill its Copilot process group before cleaning up. */
export function killOrphanedGroup(dir: string): void {
  const pgid = readPgid(dir);
  if (pgid !== undefined) killGroup(pgid, "SIGKILL");
}
