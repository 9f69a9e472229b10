import { existsSync, readdirSync, renameSync, rmdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomHex } from "../util/hash.ts";
import {
  assertSegment,
  experimentResultsDir,
  pendingSnapshotsDir,
  pendingSnapshotsOwnerPid,
  resultsRoot,
} from "./layout.ts";
import { removeTree } from "./remove.ts";
import type { RunWriter } from "./writer.ts";

/**
 * The folder where a run builds its first snapshots while its preflight runs, before the run
 * folder exists (docs/adr/0017-shared-snapshots-and-workspace-retention.md): moved into the run
 * slice's `.snapshots.<slice>/` once the run starts, removed when it does not. What a killed
 * harness left is removed by the next run of the experiment, once its owner's pid is gone.
 */
export class PendingSnapshots {
  readonly dir: string;
  private gone = false;
  /** Folders of the results tree that did not exist before (removed with it when left empty). */
  private readonly created: string[];

  constructor(root: string, experiment: string) {
    removeAbandoned(root, experiment);
    this.dir = pendingSnapshotsDir(root, experiment, `${process.pid}-${randomHex(4)}`);
    this.created = [dirname(this.dir), resultsRoot(root)].filter((d) => !existsSync(d));
  }

  /** Where the snapshot of one task's sources is built. */
  snapshotDir(task: string): string {
    return join(this.dir, assertSegment("task", task));
  }

  /**
   * Move the folder to the run slice's snapshots (which must not exist yet: the run removes what
   * a killed slice left first); returns the new folder. Nothing may still be writing into it.
   */
  moveInto(writer: RunWriter, slice: string): string {
    const to = writer.snapshotsDir(slice);
    renameSync(this.dir, to);
    this.gone = true;
    return to;
  }

  /**
   * Remove the folder unless it was moved (safe to repeat), and the results folders its build
   * created if nothing else is in them: a run that did not start leaves the tree as it was.
   */
  remove(): void {
    if (this.gone) return;
    this.gone = true;
    removeTree(this.dir);
    for (const dir of this.created) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty (a run or an index appeared meanwhile): it stays
      }
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Pending snapshots whose harness is gone (killed during its preflight). */
function removeAbandoned(root: string, experiment: string): void {
  const dir = experimentResultsDir(root, experiment);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = pendingSnapshotsOwnerPid(name);
    if (pid !== undefined && pid !== process.pid && !isAlive(pid)) removeTree(join(dir, name));
  }
}
