import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { randomHex } from "../util/hash.ts";
import { currentOwner, isOwnerAlive, type Owner } from "../util/owner.ts";
import { writeFileAtomic } from "./atomic.ts";
import {
  assertSegment,
  experimentResultsDir,
  isPendingSnapshots,
  pendingSnapshotsDir,
  resultsRoot,
} from "./layout.ts";
import { removeTree } from "./remove.ts";
import type { RunWriter } from "./writer.ts";

/**
 * The folder where a run builds its first snapshots while its preflight runs, before the run
 * folder exists (docs/adr/0017-shared-snapshots-and-workspace-retention.md): moved into the run
 * slice's `.snapshots.<slice>/` once the run starts, removed when it does not. It names its
 * owner (pid, host, the pid's start time) in `.owner.json`; what a killed harness left is
 * removed by the next run of the experiment once that owner is gone.
 */

const OWNER_FILE = ".owner.json";
/** A folder without its owner file (killed between the two writes) is abandoned after this. */
const UNOWNED_GRACE_MS = 60 * 60 * 1000;

export class PendingSnapshots {
  readonly dir: string;
  private gone = false;
  /** Folders of the results tree that did not exist before (removed with it when left empty). */
  private readonly created: string[];

  constructor(root: string, experiment: string) {
    this.dir = pendingSnapshotsDir(root, experiment, `${process.pid}-${randomHex(4)}`);
    this.created = [dirname(this.dir), resultsRoot(root)].filter((d) => !existsSync(d));
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(join(this.dir, OWNER_FILE), `${JSON.stringify(currentOwner())}\n`);
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
    // The run's lock owns it now.
    rmSync(join(to, OWNER_FILE), { force: true });
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

function ownerOf(dir: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, OWNER_FILE), "utf8")) as Owner;
  } catch {
    return undefined;
  }
}

function isAbandoned(dir: string): boolean {
  const owner = ownerOf(dir);
  if (owner) return !isOwnerAlive(owner);
  try {
    return Date.now() - statSync(dir).mtimeMs > UNOWNED_GRACE_MS;
  } catch {
    return false; // gone meanwhile
  }
}

/** Remove the pending snapshots of the experiment whose harness is gone (killed during its preflight). */
export function removeAbandonedPendingSnapshots(root: string, experiment: string): void {
  const dir = experimentResultsDir(root, experiment);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (isPendingSnapshots(name) && isAbandoned(path)) removeTree(path);
  }
}
