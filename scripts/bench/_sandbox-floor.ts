/**
 * What a sandbox costs on this machine before the harness does anything: the command a trial's
 * process runs in (`bwrapArgs`, around `/bin/true`), bare namespaces (`unshare -U -r -m -p -f`,
 * no mounts) and `/bin/true` itself, alternating one at a time, then eight of each at once (the
 * kernel serialises namespace set-up). Used by run-wall.ts beside the per-trial figures.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { bwrapArgs } from "../../src/sandbox/bwrap.ts";

export interface SandboxFloor {
  /** Median ms of one command, one at a time. */
  once: Record<string, number>;
  /** ms per command when eight loops of ten run at once. */
  eightAtOnce: Record<string, number>;
}

async function spawnTime(cmd: string[]): Promise<number> {
  const started = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "ignore", stdin: "ignore" });
  if ((await proc.exited) !== 0) throw new Error(`${cmd.join(" ")} failed`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureSandboxFloor(scratch: string, rounds = 60): Promise<SandboxFloor | undefined> {
  const bwrap = Bun.which("bwrap");
  if (!bwrap) return undefined;
  const ws = mkdtempSync(join(scratch, "floor-"));
  const commands: Record<string, string[]> = {
    true: ["/bin/true"],
    bwrap: [...bwrapArgs({ bwrap, writable: [ws], cwd: ws }), "/bin/true"],
  };
  const unshare = Bun.which("unshare");
  if (unshare) commands.namespaces = [unshare, "-U", "-r", "-m", "-p", "-f", "/bin/true"];
  const names = Object.keys(commands);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await spawnTime(commands[name]!); // warm
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names)
      times[name]!.push(await spawnTime(commands[name]!));
  }
  const eightAtOnce: Record<string, number> = {};
  for (const name of names) {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 10; i++) await spawnTime(commands[name]!);
      }),
    );
    eightAtOnce[name] = (performance.now() - started) / 80;
  }
  return { once: Object.fromEntries(names.map((n) => [n, median(times[n]!)])), eightAtOnce };
}

/** The floor as lines for docs/benchmarks.md, against the harness's overhead per trial. */
export function describeFloor(floor: SandboxFloor, harnessMsPerTrial: number): string[] {
  const added = floor.once.bwrap! - floor.once.true!;
  const addedAtOnce = floor.eightAtOnce.bwrap! - floor.eightAtOnce.true!;
  const bare =
    floor.once.namespaces === undefined
      ? ""
      : `; bare namespaces (\`unshare -U -r -m -p -f\`, no mounts) ${(floor.once.namespaces - floor.once.true!).toFixed(1)} ms`;
  return [
    `- The floor here: a trial's sandbox around \`/bin/true\` takes ${added.toFixed(1)} ms more than \`/bin/true\` one at a time, ${addedAtOnce.toFixed(1)} ms each when eight start at once${bare}. A trial runs two sandboxed commands (Copilot, then verify), so bubblewrap alone costs it ~${(2 * added).toFixed(0)} ms: ${((200 * added) / harnessMsPerTrial).toFixed(0)}% of the harness's ${harnessMsPerTrial.toFixed(0)} ms per trial, before the harness does anything around it.`,
  ];
}
