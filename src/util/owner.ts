import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Which process owns something on disk (a run's lock, a pending snapshots folder), and whether
 * it still runs: same host, pid alive and not reused (its kernel start time on Linux). An owner
 * on another host cannot be checked and counts as alive.
 */
export interface Owner {
  pid: number;
  host: string;
  /** Kernel start time of the pid (Linux): tells a reused pid from the owner. */
  pid_start?: string;
}

function pidStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname(), pid_start: pidStart(process.pid) };
}

export function isOwnerAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell: assume it runs
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  const start = pidStart(owner.pid);
  return owner.pid_start === undefined || start === undefined || start === owner.pid_start;
}
