import type { FileSink } from "bun";
import { spawnChild } from "./children.ts";
import { isSubreaper, reapOrphans } from "./reaper.ts";
import { killScope, processesInScope, SCOPE_VARIABLE } from "./scope.ts";

/**
 * Child processes run in their own process group (`detached: true`) so a timeout or an
 * interruption can take the whole tree down: shells, background servers, subagents. Only killing
 * the group reaches grandchildren (see BUN-NOTES); `child.kill()` would orphan them.
 */

export interface GroupResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Killed because the run was interrupted (abort signal). */
  aborted: boolean;
  durationMs: number;
}

export interface RunGroupOptions {
  cwd: string;
  env: Record<string, string>;
  /** Wall-clock limit; the group gets SIGTERM, then SIGKILL after `graceMs`. */
  timeoutMs?: number;
  graceMs?: number;
  /** Kill the group when this signal aborts (interruption). */
  signal?: AbortSignal;
  /** Combined stdout + stderr is appended here. */
  output?: FileSink;
  /** Called with each chunk of combined output (e.g. live `--verbose` streaming). */
  onOutput?: (chunk: Uint8Array) => void;
  stdin?: "ignore" | Blob;
  /** Called with the group id right after the spawn (e.g. to persist it for crash recovery). */
  onSpawn?: (pgid: number) => void;
  /**
   * Called as soon as the leader has exited, before what it left behind is killed and collected
   * (which `runGroup` still does before it returns): the run's next agent may start meanwhile.
   */
  onExit?: () => void;
  /**
   * The scope of the work (process/scope.ts): set in the child's environment; when the leader
   * exits, every process of the scope is killed, also those that left the group.
   */
  scope?: string;
  /**
   * The command runs in a PID namespace of its own (the bwrap sandbox, sandbox/bwrap.ts): when
   * its init is gone, the kernel has ended every process inside, so the scope is not swept; the
   * init, which the harness adopts when bubblewrap exits before it, is (docs/adr/0014-sandbox.md).
   */
  pidNamespace?: boolean;
}

const liveGroups = new Set<number>();
const liveScopes = new Set<string>();

/** Process groups started by this process and not yet reaped. */
export function liveProcessGroups(): number[] {
  return [...liveGroups];
}

export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone (ESRCH) or not ours
  }
}

/** Kill every live group at once: used by the interruption handler. */
export function killAllGroups(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const pid of liveGroups) killGroup(pid, signal);
}

/** Kill every process of every running scope, at once (the second Ctrl-C exits right after). */
export function killAllScopes(): void {
  for (const scope of liveScopes) {
    for (const pid of processesInScope(scope)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
}

async function pump(stream: ReadableStream<Uint8Array>, opts: RunGroupOptions): Promise<void> {
  for await (const chunk of stream) {
    opts.output?.write(chunk);
    opts.onOutput?.(chunk);
  }
}

/**
 * Wait for a promise, but give up after `ms` (used to stop reading pipes held by escaped
 * children). The timer is cleared as soon as the promise settles, so it never keeps the
 * process alive once the work is done.
 */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise.then(() => undefined), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runGroup(cmd: string[], opts: RunGroupOptions): Promise<GroupResult> {
  const started = performance.now();
  const child = spawnChild(cmd, {
    cwd: opts.cwd,
    env: opts.scope ? { ...opts.env, [SCOPE_VARIABLE]: opts.scope } : opts.env,
    stdin: opts.stdin ?? "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  liveGroups.add(child.pid);
  if (opts.scope) liveScopes.add(opts.scope);
  opts.onSpawn?.(child.pid);
  const reading = Promise.all([pump(child.stdout, opts), pump(child.stderr, opts)]);

  let timedOut = false;
  let aborted = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const terminate = () => {
    killGroup(child.pid, "SIGTERM");
    killTimer ??= setTimeout(() => killGroup(child.pid, "SIGKILL"), opts.graceMs ?? 5000);
  };
  const timer =
    opts.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          terminate();
        }, opts.timeoutMs)
      : undefined;
  const onAbort = () => {
    aborted = true;
    terminate();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  const exitCode = await child.exited;
  clearTimeout(timer);
  clearTimeout(killTimer);
  opts.signal?.removeEventListener("abort", onAbort);
  // The leader is gone; whatever it left running in its group (background servers, `sleep &`)
  // goes too, so nothing of a trial outlives it.
  killGroup(child.pid, "SIGKILL");
  opts.onExit?.();
  liveGroups.delete(child.pid);
  // Processes that left the group (setsid, double fork, daemons) go too: found by their scope,
  // or adopted by the harness as subreaper when they cleared their environment. In a PID
  // namespace of its own, every one ends with the namespace's init, which the subreaper awaits.
  if (opts.scope && !(opts.pidNamespace && isSubreaper())) await killScope(opts.scope);
  if (opts.scope) liveScopes.delete(opts.scope);
  await reapOrphans();
  // Something that escaped both may still hold the pipes: stop reading after a moment.
  await within(reading, 2000);
  return {
    exitCode: child.signalCode ? null : exitCode,
    signal: child.signalCode ? String(child.signalCode) : null,
    timedOut,
    aborted,
    durationMs: performance.now() - started,
  };
}

/** The shell used for setup, verify and solution commands: bash when present, else sh. */
export function shellCommand(script: string): string[] {
  const bash = Bun.which("bash");
  return bash ? [bash, "-c", script] : ["/bin/sh", "-c", script];
}
