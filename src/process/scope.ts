import { readdirSync, readFileSync } from "node:fs";
import { sha256Hex } from "../util/hash.ts";

/**
 * A scope marks every process started for one trial (or one `check` of a task): the harness puts
 * `COPILOT_EXPERIMENTS_SCOPE=<marker>` in the environment of Copilot, setup, verify and solution
 * commands, and every descendant inherits it — also those that leave the process group (`setsid`,
 * double forks, daemons). When the trial ends, `killScope` finds them in /proc and kills them.
 * See docs/adr/0013-containment.md. Only Linux has /proc; elsewhere the process group is all the
 * harness can reach (README, Security model).
 */

export const SCOPE_VARIABLE = "COPILOT_EXPERIMENTS_SCOPE";

const HAS_PROC =
  process.platform === "linux" &&
  (() => {
    try {
      readFileSync("/proc/self/stat");
      return true;
    } catch {
      return false;
    }
  })();

/** Whether processes can be found by their scope on this system. */
export function canFindScopes(): boolean {
  return HAS_PROC;
}

/**
 * The scope prefix of a run: its folder's path hashed, so shards of one run id on one machine,
 * or runs of the same id under two roots, never share a scope.
 */
export function runScope(runDir: string): string {
  return `cx:${sha256Hex(runDir).slice(0, 16)}/`;
}

/** The scope of one trial (or another unit of work) inside a run's scope; always ends in `/`. */
export function childScope(parent: string, ...parts: (string | number)[]): string {
  return `${parent}${parts.join("/")}/`;
}

/** A short name for a scope (temp folder names): its hash. */
export function scopeTag(scope: string): string {
  return sha256Hex(scope).slice(0, 12);
}

function scopeOf(pid: string): string | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, "latin1");
  } catch {
    return undefined; // gone, or not ours to read
  }
  const key = `${SCOPE_VARIABLE}=`;
  for (const entry of environ.split("\0")) if (entry.startsWith(key)) return entry.slice(key.length);
  return undefined;
}

/** Pids of live processes whose scope lies inside `scope` (never this process). */
export function processesInScope(scope: string): number[] {
  if (!HAS_PROC) return [];
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    if (scopeOf(name)?.startsWith(scope)) pids.push(Number(name));
  }
  return pids;
}

/**
 * SIGKILL every process of the scope, again until none is left (a process may fork while the
 * sweep runs). Returns how many were killed. A zombie has no environment left, so it no longer
 * counts: its parent (or the reaper) collects it.
 */
export async function killScope(scope: string, maxRounds = 50): Promise<number> {
  const killed = new Set<number>();
  for (let round = 0; round < maxRounds; round++) {
    const pids = processesInScope(scope);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
        killed.add(pid);
      } catch {
        // already gone
      }
    }
    // A killed process is usually gone within a millisecond: look again soon, then less often.
    await Bun.sleep(Math.min(10, 2 ** round));
  }
  return killed.size;
}
