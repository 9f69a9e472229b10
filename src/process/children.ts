import type { SpawnOptions, Subprocess } from "bun";

/**
 * Every process the harness spawns goes through `spawnChild`, so the harness knows its own
 * children. Anything else whose parent is the harness is an orphan it adopted as child subreaper
 * (see `process/reaper.ts`): a process that left its trial's group and must not outlive it.
 */

const spawned = new Set<number>();

/** Whether Bun spawned this pid for us and has not reaped it yet (never reap it ourselves). */
export function isOwnChild(pid: number): boolean {
  return spawned.has(pid);
}

/** The children Bun spawned for us and has not reaped yet. */
export function ownChildren(): number[] {
  return [...spawned];
}

/** `Bun.spawn`, remembering the child until it exits. */
export function spawnChild<
  const In extends SpawnOptions.Writable = "ignore",
  const Out extends SpawnOptions.Readable = "pipe",
  const Err extends SpawnOptions.Readable = "inherit",
>(cmd: string[], opts: SpawnOptions.SpawnOptions<In, Out, Err>): Subprocess<In, Out, Err> {
  const child = Bun.spawn(cmd, opts);
  spawned.add(child.pid);
  void child.exited.finally(() => spawned.delete(child.pid));
  return child;
}
