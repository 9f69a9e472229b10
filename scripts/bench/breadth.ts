#!/usr/bin/env bun
/**
 * The harness at breadth, with the built binary and a fake `copilot` (issue 20's baseline):
 *
 * 1. 1,600 trials of a 2-file fixture at concurrency 8: whole-process wall time and the
 *    binary's peak memory (VmHWM of its process, read from /proc while it runs).
 * 2. kill -9 and `--resume`: a run of 200 trials is killed at a random moment, resumed and
 *    killed again, `--cycles` times (default 7), then resumed to the end; it must end with
 *    every trial exactly once (one meta.json per cell, every session id distinct) and no
 *    snapshot left behind.
 *
 * Several binaries given with --binary run alternately, round by round.
 *
 *   bun scripts/bench/breadth.ts [--binary OLD] [--binary NEW]… [--rounds 3] [--cycles 7] [--write-docs]
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFakeCopilotTo } from "../../test/helpers/fake-copilot-script.ts";
import { writeBenchmarkSection } from "./_docs.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", multiple: true },
    rounds: { type: "string", default: "3" },
    cycles: { type: "string", default: "7" },
    seed: { type: "string", default: "20" },
    "write-docs": { type: "boolean", default: false },
  },
});
const binaries = (values.binary?.length ? values.binary : ["dist/copilot-experiments"]).map((b) =>
  resolve(b),
);
const ROUNDS = Number(values.rounds);
const CYCLES = Number(values.cycles);
let seed = Number(values.seed);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

const base = mkdtempSync(join(tmpdir(), "cx-bench-breadth-"));
const fake = writeFakeCopilotTo(base);
const ENV = { ...process.env, GH_TOKEN: "github_pat_bench", CI: "true", NO_COLOR: "1" };

/** A root with a 2-file fixture and one experiment of tasks × variants × trials. */
function writeRoot(name: string, tasks: number, variants: number, trials: number): string {
  const root = join(base, name);
  mkdirSync(join(root, "experiments"), { recursive: true });
  mkdirSync(join(root, "fixtures", "app"), { recursive: true });
  writeFileSync(join(root, "fixtures", "app", "main.py"), "def f(x):\n    return x\n");
  writeFileSync(join(root, "fixtures", "app", "README.md"), "app\n");
  const yaml = [
    "name: Breadth",
    "tasks:",
    ...Array.from(
      { length: tasks },
      (_, i) => `  - {name: t${i}, prompt: p, fixture: fixtures/app, verify: test -f FAKE_CHANGE.txt}`,
    ),
    "variants:",
    ...Array.from({ length: variants }, (_, i) => `  - {name: v${i}, trials: ${trials}}`),
    "",
  ];
  writeFileSync(join(root, "experiments", "breadth.yaml"), yaml.join("\n"));
  return root;
}

/** Peak RSS (VmHWM, kB) of a live process, or undefined once it is gone. */
function peakKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    // A process that has exited (a zombie) has no VmHWM line: no reading, not NaN.
    const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb);
  } catch {
    return undefined;
  }
}

async function breadth(binary: string): Promise<{ s: number; peakMb: number; trials: number }> {
  const root = writeRoot("breadth", 4, 4, 100);
  const started = performance.now();
  const proc = Bun.spawn([binary, "run", "--root", root, "--copilot", fake, "--concurrency", "8"], {
    cwd: root,
    env: ENV,
    stdout: "ignore",
    stderr: "pipe",
  });
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, peakKb(proc.pid) ?? 0);
  }, 50);
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  clearInterval(poll);
  const s = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${binary} exited ${code}:\n${stderr.slice(-2000)}`);
  const trials = metas(root).length;
  rmSync(root, { recursive: true, force: true });
  return { s, peakMb: peak / 1024, trials };
}

function metas(root: string): { variant: string; task: string; trial: number; session_id: string | null }[] {
  const runs = join(root, "results", "breadth");
  const out = [];
  for (const run of readdirSync(runs).filter((r) => !r.startsWith("."))) {
    const glob = new Bun.Glob("variants/*/tasks/*/trials/*/meta.json");
    for (const path of glob.scanSync({ cwd: join(runs, run) }))
      out.push(JSON.parse(readFileSync(join(runs, run, path), "utf8")));
  }
  return out;
}

/** Kill -9 a run of 200 trials `cycles` times at random moments, resuming each time; then finish it. */
async function killCycles(
  binary: string,
): Promise<{ kills: number; trials: number; distinct: number; ok: boolean }> {
  const root = writeRoot("kill", 2, 1, 100);
  let kills = 0;
  for (let cycle = 0; cycle <= CYCLES; cycle++) {
    const resume = cycle === 0 ? [] : ["--resume"];
    const proc = Bun.spawn(
      [binary, "run", "--root", root, "--copilot", fake, "--concurrency", "8", ...resume],
      {
        cwd: root,
        env: ENV,
        stdout: "ignore",
        stderr: "ignore",
      },
    );
    if (cycle < CYCLES) {
      const done = await Promise.race([proc.exited.then(() => true), Bun.sleep(1500 + random() * 3000)]);
      if (done === true) break;
      proc.kill("SIGKILL");
      kills += 1;
    }
    await proc.exited;
  }
  const all = metas(root);
  const cells = new Set(all.map((m) => `${m.variant}/${m.task}/${m.trial}`));
  const sessions = new Set(all.map((m) => m.session_id));
  const runs = join(root, "results", "breadth");
  const [run] = readdirSync(runs).filter((r) => !r.startsWith("."));
  const record = JSON.parse(readFileSync(join(runs, run!, "run.json"), "utf8"));
  const leftovers = readdirSync(join(runs, run!)).filter((n) => n.startsWith(".snapshots"));
  const ok =
    record.status === "completed" &&
    all.length === 200 &&
    cells.size === 200 &&
    sessions.size === 200 &&
    leftovers.length === 0 &&
    existsSync(join(runs, run!, "summary.json"));
  rmSync(root, { recursive: true, force: true });
  return { kills, trials: all.length, distinct: cells.size, ok };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

try {
  const wide = new Map<string, { s: number; peakMb: number; trials: number }[]>();
  const kills = new Map<string, { kills: number; trials: number; distinct: number; ok: boolean }[]>();
  const loads: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? binaries : [...binaries].reverse();
    for (const binary of order) {
      const b = await breadth(binary);
      wide.set(binary, [...(wide.get(binary) ?? []), b]);
      const k = await killCycles(binary);
      kills.set(binary, [...(kills.get(binary) ?? []), k]);
      loads.push(loadavg()[0]!);
      console.error(
        `round ${round + 1} ${binary}: ${b.trials} trials in ${b.s.toFixed(1)} s, peak ${b.peakMb.toFixed(0)} MB; ${k.kills} kill -9 + --resume: ${k.trials} trials, ${k.distinct} distinct, ${k.ok ? "ok" : "NOT OK"}; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }
  const lines = binaries.map((binary) => {
    const w = wide.get(binary)!;
    const k = kills.get(binary)!;
    const ratio =
      binary === binaries[0]
        ? ""
        : `; wall time ÷ the first binary's in the same round ${median(w.map((x, i) => x.s / wide.get(binaries[0]!)![i]!.s)).toFixed(2)}`;
    return `- ${binary}: 1,600 trials (4 tasks × 4 variants × 100, a 2-file fixture) at concurrency 8 in ${median(w.map((x) => x.s)).toFixed(1)} s (median of ${ROUNDS}; ${Math.min(...w.map((x) => x.s)).toFixed(1)}–${Math.max(...w.map((x) => x.s)).toFixed(1)} s), peak memory ${median(w.map((x) => x.peakMb)).toFixed(0)} MB${ratio}; kill -9 + \`--resume\` ${k.map((x) => x.kills).join(", ")} times: ${k.every((x) => x.ok) ? "every run ended completed with 200 of 200 trials, each once, no snapshot left" : `NOT OK (${k.map((x) => `${x.trials}/${x.distinct}`).join(", ")})`}.`;
  });
  lines.push(
    `- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Bun ${Bun.version}, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} after each round.`,
  );
  console.log(lines.join("\n"));
  if (values["write-docs"]) {
    writeBenchmarkSection(
      "## Breadth, built binary (scripts/bench/breadth.ts)",
      [
        "Many small trials with a fake `copilot`, whole process of the built binary; peak memory is the",
        "binary's own VmHWM (`bun scripts/bench/breadth.ts --binary OLD --binary NEW --write-docs`):",
      ],
      lines,
    );
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
