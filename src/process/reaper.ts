import { existsSync, readdirSync, readFileSync } from "node:fs";
import { openLibc } from "../util/libc.ts";
import { isOwnChild, ownChildren } from "./children.ts";

/**
 * The harness as child subreaper (Linux `prctl(PR_SET_CHILD_SUBREAPER)`, through bun:ffi): a
 * process that leaves its trial — `setsid`, a double fork, a daemon, even one that clears its
 * environment and so its scope marker — is re-parented to the harness instead of to init, where
 * `reapOrphans` finds it, kills it and collects it. Bun reaps only the children it spawned, so
 * the harness must collect adopted ones itself (`waitpid` on exactly those pids).
 * See docs/adr/0013-containment.md.
 */

const PR_SET_CHILD_SUBREAPER = 36;
const WNOHANG = 1;

interface Libc {
  prctl(option: number, arg2: number, arg3: number, arg4: number, arg5: number): number;
  waitpid(pid: number, status: null, options: number): number;
}

let libc: Libc | null | undefined;

async function loadLibc(): Promise<Libc | null> {
  if (libc !== undefined) return libc;
  const symbols = await openLibc({
    prctl: { args: ["i32", "u64", "u64", "u64", "u64"], returns: "i32" },
    waitpid: { args: ["i32", "ptr", "i32"], returns: "i32" },
  });
  libc = symbols as unknown as Libc | null;
  return libc;
}

let subreaper = false;

/** Make this process the subreaper of its descendants. Returns whether that worked. */
export async function becomeSubreaper(): Promise<boolean> {
  if (subreaper) return true;
  const c = await loadLibc();
  subreaper = c !== null && c.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0;
  return subreaper;
}

export function isSubreaper(): boolean {
  return subreaper;
}

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // pid (comm) state ppid …; comm may hold spaces and parentheses: split after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * The harness's children, from /proc/self/task/<tid>/children (one small file per thread of
 * the harness, where scanning /proc reads a file per process on the machine); undefined where
 * the kernel does not provide it (CONFIG_PROC_CHILDREN), or provides it without the children
 * (checked once against a child Bun spawned). The kernel builds the list one child at a time, so
 * a child exiting meanwhile may hide another: an empty answer is asked for twice.
 */
let childrenFileWorks: boolean | undefined;

function readChildrenOfSelf(): number[] | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return undefined;
  }
  const pids: number[] = [];
  for (const tid of tasks) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/task/${tid}/children`, "latin1");
    } catch (err) {
      // A thread that just ended has no folder left; a kernel without the file has none at all.
      if ((err as NodeJS.ErrnoException).code === "ENOENT" && existsSync(`/proc/self/task/${tid}`))
        return undefined;
      continue;
    }
    for (const pid of text.split(" ")) if (pid) pids.push(Number(pid));
  }
  return pids;
}

function childrenOfSelf(): number[] | undefined {
  if (childrenFileWorks === false) return undefined;
  const pids = readChildrenOfSelf();
  if (pids === undefined) {
    childrenFileWorks = false;
    return undefined;
  }
  if (childrenFileWorks === undefined) {
    // Trusted once it has listed a live child the harness knows it has; until then, not used.
    const alive = ownChildren().filter((pid) => existsSync(`/proc/${pid}`));
    if (alive.length === 0) return undefined;
    childrenFileWorks = alive.some((pid) => pids.includes(pid));
    if (!childrenFileWorks) return undefined;
  }
  return pids.length > 0 ? pids : readChildrenOfSelf();
}

/** Whether orphans are found through the children files (known once a child was spawned). */
export function findsOrphansByChildrenFile(): boolean | undefined {
  return childrenFileWorks;
}

/** Children of the harness that Bun did not spawn: adopted orphans (live or zombie). */
export function adoptedOrphans(): number[] {
  if (!subreaper) return [];
  const children = childrenOfSelf();
  if (children) return children.filter((pid) => !isOwnChild(pid));
  const orphans: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (parentOf(name) === process.pid && !isOwnChild(pid)) orphans.push(pid);
  }
  return orphans;
}

/**
 * Kill and collect every adopted orphan. Called when a trial ends: an orphan carries no trial of
 * its own any more, and nothing the harness started itself is an orphan.
 */
export async function reapOrphans(): Promise<number> {
  const c = libc;
  if (!subreaper || !c) return 0;
  let reaped = 0;
  for (let round = 0; round < 100; round++) {
    const orphans = adoptedOrphans();
    if (orphans.length === 0) break;
    for (const pid of orphans) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // a zombie or already gone: collect below
      }
      if (c.waitpid(pid, null, WNOHANG) === pid) reaped++;
    }
    // Usually collectable within a few milliseconds of the SIGKILL (a sandbox's init once its
    // namespace is torn down): look again every millisecond for a while, then less often.
    await Bun.sleep(round < 20 ? 1 : 5);
  }
  return reaped;
}
