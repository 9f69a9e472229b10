#!/usr/bin/env bun
/**
 * Results that scale with repository size (issue 20): the built binary runs 8 passing trials
 * (a fake `copilot` that changes one file, a verify that passes) on a generated fixture of
 * 5,000 files / ~80 MB, from start to exit, and the disk its results take; beside it, in the
 * same round, `cp -r` of the fixture. Several binaries given with --binary run alternately,
 * round by round, so they share the machine's load. Measured for a `fixture:` task and for a
 * `repo:` task (a local repository holding the same files), and, with 1 trial, the fixed cost
 * of a run, so the marginal cost of a trial is (wall 8 − wall 1) ÷ 7.
 *
 *   bun scripts/bench/large-fixture.ts [--binary OLD] [--binary NEW]… [--rounds 3] [--write-docs]
 *
 * A binary that knows `--keep-workspaces` runs with `--keep-workspaces failed` (and once more
 * with `all`, for the disk of a run that keeps everything); one that does not keeps every workspace.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFakeCopilotTo } from "../../test/helpers/fake-copilot-script.ts";
import { writeBenchmarkSection } from "./_docs.ts";
import { writeLargeFixture } from "./_large-fixture.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", multiple: true },
    rounds: { type: "string", default: "3" },
    trials: { type: "string", default: "8" },
    files: { type: "string", default: "5000" },
    mb: { type: "string", default: "80" },
    "write-docs": { type: "boolean", default: false },
  },
});
const binaries = (values.binary?.length ? values.binary : ["dist/copilot-experiments"]).map((b) =>
  resolve(b),
);
const ROUNDS = Number(values.rounds);
const TRIALS = Number(values.trials);

const base = mkdtempSync(join(tmpdir(), "cx-bench-large-"));
const fake = writeFakeCopilotTo(base);
// One experiment root: the fixture inside it, one experiment file per task kind and trial count.
const root = join(base, "root");
const fixture = join(root, "fixtures", "big");
const generated = writeLargeFixture(fixture, { files: Number(values.files), mb: Number(values.mb) });
// The same files as a repository, for `repo:` tasks (cloned from a local path).
const origin = join(base, "origin");
run(["cp", "-r", fixture, origin]);
for (const args of [
  ["init", "-q"],
  ["add", "-A"],
  ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "origin"],
]) {
  run(["git", ...args], origin);
}

function run(argv: string[], cwd?: string): string {
  const proc = Bun.spawnSync(argv, { cwd, stdout: "pipe", stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`${argv.join(" ")} exited ${proc.exitCode}: ${proc.stderr}`);
  return proc.stdout.toString();
}

const supportsKeep = new Map(
  binaries.map((b) => [b, run([b, "run", "--help"]).includes("--keep-workspaces")] as const),
);

type Kind = "fixture" | "repo";

mkdirSync(join(root, "experiments"));
for (const kind of ["fixture", "repo"] as const) {
  for (const trials of [1, TRIALS]) {
    const source = kind === "fixture" ? "fixture: fixtures/big" : `repo: ${origin}`;
    writeFileSync(
      join(root, "experiments", `${kind}-${trials}.yaml`),
      `name: ${kind}-${trials}\ntask: {name: big, prompt: p, ${source}, verify: test -f FAKE_CHANGE.txt}\nvariants: [{name: v, trials: ${trials}}]\n`,
    );
  }
}

/** Seconds of the whole `run` process, and the KiB its results take on disk (then removed). */
async function timeRun(
  binary: string,
  kind: Kind,
  trials: number,
  keep: string,
): Promise<{ s: number; kib: number }> {
  const keepArgs = supportsKeep.get(binary) ? ["--keep-workspaces", keep] : [];
  const started = performance.now();
  const proc = Bun.spawn(
    [binary, "run", `${kind}-${trials}`, "--root", root, "--copilot", fake, ...keepArgs],
    {
      cwd: root,
      env: { ...process.env, GH_TOKEN: "github_pat_bench", CI: "true", NO_COLOR: "1" },
      stdout: "ignore",
      stderr: "pipe",
    },
  );
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  const s = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${binary} exited ${code}:\n${stderr}`);
  const kib = Number(run(["du", "-sk", join(root, "results")]).split("\t")[0]);
  rmSync(join(root, "results"), { recursive: true, force: true });
  return { s, kib };
}

function timeCopy(): number {
  const to = join(base, "copy");
  const started = performance.now();
  run(["cp", "-r", fixture, to]);
  const s = (performance.now() - started) / 1000;
  rmSync(to, { recursive: true, force: true });
  return s;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Sample {
  wall: number;
  wall1: number;
  kib: number;
  kibAll?: number;
  copy: number;
}
const samples = new Map<string, Sample[]>();
const loads: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? binaries : [...binaries].reverse();
    for (const binary of order) {
      for (const kind of ["fixture", "repo"] as const) {
        const copy = timeCopy();
        const eight = await timeRun(binary, kind, TRIALS, "failed");
        const one = await timeRun(binary, kind, 1, "failed");
        const all = supportsKeep.get(binary) ? await timeRun(binary, kind, TRIALS, "all") : undefined;
        const key = `${binary}\t${kind}`;
        samples.set(key, [
          ...(samples.get(key) ?? []),
          { wall: eight.s, wall1: one.s, kib: eight.kib, kibAll: all?.kib, copy },
        ]);
        loads.push(loadavg()[0]!);
        console.error(
          `round ${round + 1} ${kind} ${binary}: ${eight.s.toFixed(1)} s for ${TRIALS} (1 trial ${one.s.toFixed(1)} s), results ${(eight.kib / 1024).toFixed(1)} MB${all ? ` (all kept ${(all.kib / 1024).toFixed(1)} MB)` : ""}, cp -r ${copy.toFixed(2)} s, load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    }
  }
  const lines: string[] = [
    `- Fixture: ${generated.files} files, ${(generated.bytes / 1024 / 1024).toFixed(1)} MB (scripts/bench/_large-fixture.ts); ${TRIALS} passing trials at concurrency 1, ${ROUNDS} rounds, binaries alternating.`,
  ];
  for (const kind of ["fixture", "repo"] as const) {
    for (const binary of binaries) {
      const xs = samples.get(`${binary}\t${kind}`)!;
      const perTrial = xs.map((x) => x.wall / TRIALS / x.copy);
      const marginal = xs.map((x) => (x.wall - x.wall1) / (TRIALS - 1) / x.copy);
      const keep = supportsKeep.get(binary) ? "keep_workspaces: failed" : "every workspace kept";
      const all = xs.every((x) => x.kibAll !== undefined)
        ? `; with every workspace kept ${(median(xs.map((x) => x.kibAll!)) / 1024).toFixed(1)} MB`
        : "";
      lines.push(
        `- \`${kind}:\` task, ${binary}: ${TRIALS} trials in ${median(xs.map((x) => x.wall)).toFixed(1)} s (${(median(xs.map((x) => x.wall)) / TRIALS).toFixed(2)} s per trial; 1 trial ${median(xs.map((x) => x.wall1)).toFixed(1)} s); \`cp -r\` ${median(xs.map((x) => x.copy)).toFixed(2)} s; per trial ÷ \`cp -r\` **${median(perTrial).toFixed(2)}**, marginal trial ÷ \`cp -r\` **${median(marginal).toFixed(2)}** (medians of per-round ratios); results ${(median(xs.map((x) => x.kib)) / 1024).toFixed(1)} MB (${keep})${all}.`,
      );
    }
  }
  lines.push(
    `- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Bun ${Bun.version}, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the rounds.`,
  );
  console.log(lines.join("\n"));
  if (values["write-docs"]) {
    writeBenchmarkSection(
      "## Large fixture, built binary (scripts/bench/large-fixture.ts)",
      [
        "Whole-process wall time of `run` and the disk its results take (`du -sk results/`), for",
        "passing trials on a generated repository-sized fixture, with `cp -r` of the fixture timed",
        "in the same round (`bun scripts/bench/large-fixture.ts --binary OLD --binary NEW --write-docs`):",
      ],
      lines,
    );
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
