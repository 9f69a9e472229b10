import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { currentOwner, isOwnerAlive, type Owner } from "../util/owner.ts";

/**
 * One writer per run (README, Security model): a writer holds a lock file in the run's folder
 * while it works. Shards of one run may run side by side, so each holds the lock of its own
 * slice (`whole` for an unsharded writer or a merge); a lock conflicts with another of the same
 * slice and with `whole`. A lock whose process is gone (same host, pid dead or reused) is stale
 * and taken over.
 */

export const LOCK_PREFIX = ".lock.";

interface LockRecord extends Owner {
  started: string;
  what: string;
}

function readLock(path: string): LockRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockRecord;
  } catch {
    return undefined; // half-written by a writer killed at once: stale
  }
}

function conflicts(mine: string, other: string): boolean {
  return mine === "whole" || other === "whole" || mine === other;
}

export interface RunLock {
  release(): void;
}

/**
 * Take the lock of `slice` in `dir`, or throw a UserError (exit 2) naming the holder. `what`
 * says what the holder does ("run --resume", "merge").
 */
export function acquireRunLock(dir: string, slice: string, what: string): RunLock {
  const path = join(dir, `${LOCK_PREFIX}${slice}`);
  const record: LockRecord = { ...currentOwner(), started: new Date().toISOString(), what };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readLock(path);
      if (holder && isOwnerAlive(holder)) throw held(dir, holder);
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, `${JSON.stringify(record)}\n`);
    closeSync(fd);
    // Another slice's writer may hold a conflicting lock: check after taking ours, so two
    // writers racing both see each other.
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(LOCK_PREFIX) || name === `${LOCK_PREFIX}${slice}`) continue;
      const other = readLock(join(dir, name));
      if (other && conflicts(slice, name.slice(LOCK_PREFIX.length)) && isOwnerAlive(other)) {
        rmSync(path, { force: true });
        throw held(dir, other);
      }
    }
    return {
      release() {
        const current = readLock(path);
        if (current?.pid === process.pid && current.host === record.host) rmSync(path, { force: true });
      },
    };
  }
  throw new UserError(`could not take the lock of the run in ${dir}`);
}

function held(dir: string, holder: LockRecord): UserError {
  return new UserError(
    `the run in ${dir} is in use: ${holder.what} (pid ${holder.pid} on ${holder.host}, since ${holder.started})`,
    {
      hint: "Wait for it to finish. If that process no longer exists (another machine, a lost container), delete the .lock.* file in the run folder.",
    },
  );
}
