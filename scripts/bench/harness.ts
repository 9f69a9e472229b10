#!/usr/bin/env bun
/**
 * Run-pipeline benchmarks (issue 7), measured side by side in this one process:
 *
 * 1. Harness overhead: N trials (default 50) with a fake `copilot` that exits at once, run by
 *    the real pipeline at concurrency 1, versus the floor: the same file work done directly
 *    (copy the fixture, `git init` + `add` + `commit`, then `git add -A` + `git diff --cached`).
 *    Reports per-trial harness time ÷ per-trial floor time (target ≤ 1.5).
 * 2. Concurrency efficiency: 32 trials of a fake that sleeps 1 s at concurrency 8; wall time ÷
 *    the ideal 4 s (target ≤ 1.25).
 *
 *   bun scripts/bench/harness.ts [--trials 50] [--rounds 3]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { realInvoker } from "../../src/copilot/invoker.ts";
import { loadExperiments } from "../../src/experiment/load.ts";
import { executeRun } from "../../src/run/execute.ts";
import { commitAll, diffSince, git } from "../../src/workspace/git.ts";
import { writeFakeCopilotTo } from "../../test/helpers/fake-copilot-script.ts";

const { values } = parseArgs({
  options: { trials: { type: "string", default: "50" }, rounds: { type: "string", default: "3" } },
});
const TRIALS = Number(values.trials);
const ROUNDS = Number(values.rounds);
const base = mkdtempSync(join(tmpdir(), "cx-bench-harness-"));
const fake = writeFakeCopilotTo(base);

/** A small but real fixture: a dozen files in a few folders. */
function writeRoot(name: string, yaml: string): string {
  const root = join(base, name);
  mkdirSync(join(root, "experiments"), { recursive: true });
  writeFileSync(join(root, "experiments", "bench.yaml"), yaml);
  for (let i = 0; i < 12; i++) {
    const dir = join(root, "fixtures", "app", `pkg${i % 3}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `module${i}.py`), `def f${i}(x):\n    return x + ${i}\n`.repeat(20));
  }
  return root;
}

async function runPipeline(root: string, concurrency: number): Promise<number> {
  const [experiment] = loadExperiments(root, [], {});
  const started = performance.now();
  await executeRun({
    root,
    experiment: experiment!,
    runId: `bench-${Math.random().toString(16).slice(2, 8)}`,
    runDir: join(root, "results", "bench", `r${Date.now()}${Math.random()}`),
    resume: false,
    concurrency,
    retries: 0,
    isolateHome: true,
    copilot: { version: "0.0.0-fake", binary: fake, source: "bench" },
    invoker: realInvoker,
    token: { token: "github_pat_bench", source: "bench" },
    baseEnv: { ...process.env, COPILOT_GITHUB_TOKEN: undefined },
    signal: new AbortController().signal,
    dryRun: false,
  });
  return performance.now() - started;
}

async function floor(root: string, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const ws = join(root, "floor", String(i));
    cpSync(join(root, "fixtures", "app"), ws, { recursive: true, verbatimSymlinks: true });
    await git(["init", "-q"], ws);
    const baseline = await commitAll(ws, "baseline");
    writeFileSync(join(ws, "CHANGE.txt"), "changed\n");
    await diffSince(ws, baseline);
  }
  return performance.now() - started;
}

const overheadRoot = writeRoot(
  "overhead",
  `name: Bench\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: v, trials: ${TRIALS}}]\n`,
);
const ratios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so drift on a shared machine does not favour one side.
  const [a, b] =
    round % 2 === 0
      ? [await runPipeline(overheadRoot, 1), await floor(overheadRoot, TRIALS)]
      : [await floor(overheadRoot, TRIALS), await runPipeline(overheadRoot, 1)].reverse();
  ratios.push(a! / b!);
  console.log(
    `round ${round + 1}: harness ${(a! / TRIALS).toFixed(1)} ms/trial, floor ${(b! / TRIALS).toFixed(1)} ms/trial, ratio ${(a! / b!).toFixed(2)}`,
  );
  rmSync(join(overheadRoot, "results"), { recursive: true, force: true });
  rmSync(join(overheadRoot, "floor"), { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(
  `harness overhead: median ratio ${median(ratios).toFixed(2)} (target <= 1.5) over ${ROUNDS} rounds of ${TRIALS} trials`,
);

const concRoot = writeRoot(
  "concurrency",
  `name: Bench\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: v, trials: 32, env: {FAKE_SLEEP_S: "1"}}]\n`,
);
const walls: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const wall = await runPipeline(concRoot, 8);
  walls.push(wall / 4000);
  console.log(
    `round ${round + 1}: 32 trials × 1 s at concurrency 8: ${(wall / 1000).toFixed(2)} s, ratio ${(wall / 4000).toFixed(2)}`,
  );
  rmSync(join(concRoot, "results"), { recursive: true, force: true });
}
console.log(`concurrency efficiency: median wall ÷ ideal ${median(walls).toFixed(2)} (target <= 1.25)`);
console.log(
  `load average during the run: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on ${navigator.hardwareConcurrency} cores`,
);
rmSync(base, { recursive: true, force: true });
