#!/usr/bin/env bun
/**
 * Whole-process wall time of `run` as a user feels it: the built binary runs an experiment of
 * 30 quick trials (3 variants × 2 tasks × 5 trials, a fake `copilot` that exits at once, a
 * verify command per task) from start to exit: preflight, workspaces, invocation, artifacts,
 * verify, then summary, report, index and JUnit. Several binaries given with --binary are run
 * alternately, round by round, so they share the machine's load; the median of each and the
 * ratio of every binary to the first are printed. With several --sandbox modes, each binary runs
 * in each mode (alternating the same way), which measures what the sandbox adds per trial, and
 * bubblewrap's own cost on this machine is measured beside it (`_sandbox-floor.ts`).
 *
 *   bun scripts/bench/run-wall.ts [--binary dist/copilot-experiments]… [--sandbox MODE]… [--rounds 7]
 *     [--write-docs]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFakeCopilotTo } from "../../test/helpers/fake-copilot-script.ts";
import { writeBenchmarkSection } from "./_docs.ts";
import { describeFloor, measureSandboxFloor } from "./_sandbox-floor.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", multiple: true },
    rounds: { type: "string", default: "7" },
    concurrency: { type: "string", default: "1" },
    sandbox: { type: "string", multiple: true },
    "write-docs": { type: "boolean", default: false },
  },
});
const binaries = (values.binary?.length ? values.binary : ["dist/copilot-experiments"]).map((b) =>
  resolve(b),
);
const modes: (string | undefined)[] = values.sandbox?.length ? values.sandbox : [undefined];
/** Every binary in every sandbox mode, each a configuration timed alternately with the others. */
const configs = binaries.flatMap((binary) => modes.map((sandbox) => ({ binary, sandbox })));
const describe = (c: (typeof configs)[number]) => {
  const binary = relative(process.cwd(), c.binary) || c.binary;
  return c.sandbox ? `${binary} --sandbox ${c.sandbox}` : binary;
};
const ROUNDS = Number(values.rounds);

const base = mkdtempSync(join(tmpdir(), "cx-bench-wall-"));
const fake = writeFakeCopilotTo(base);

function writeRoot(dir: string): string {
  mkdirSync(join(dir, "experiments"), { recursive: true });
  for (let i = 0; i < 12; i++) {
    const pkg = join(dir, "fixtures", "app", `pkg${i % 3}`);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, `module${i}.py`), `def f${i}(x):\n    return x + ${i}\n`.repeat(20));
  }
  writeFileSync(
    join(dir, "experiments", "wall.yaml"),
    [
      "name: Wall",
      "tasks:",
      "  - {name: one, prompt: p1, fixture: fixtures/app, verify: test -f FAKE_CHANGE.txt}",
      "  - {name: two, prompt: p2, fixture: fixtures/app, verify: test -f pkg0/module0.py}",
      "variants:",
      "  - {name: a, trials: 5}",
      "  - {name: b, trials: 5}",
      "  - {name: c, trials: 5}",
      "",
    ].join("\n"),
  );
  return dir;
}

async function timeRun(config: (typeof configs)[number], root: string): Promise<number> {
  const started = performance.now();
  const proc = Bun.spawn(
    [
      config.binary,
      "run",
      "--root",
      root,
      "--copilot",
      fake,
      "--concurrency",
      String(values.concurrency),
      "--junit",
      join(root, "junit.xml"),
      ...(config.sandbox ? ["--sandbox", config.sandbox] : []),
    ],
    {
      cwd: root,
      env: { ...process.env, GH_TOKEN: "github_pat_bench", CI: "true", NO_COLOR: "1" },
      stdout: "ignore",
      stderr: "pipe",
    },
  );
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${describe(config)} exited ${code}:\n${stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Per binary, what each sandbox mode adds per trial over `none`, as a share of the harness's time. */
function sandboxOverhead(times: number[][]): string[] {
  if (!modes.includes("none")) return [];
  return configs.flatMap((config, i) => {
    if (!config.sandbox || config.sandbox === "none") return [];
    const j = configs.findIndex((c) => c.binary === config.binary && c.sandbox === "none");
    const added = median(times[i]!.map((t, r) => t - times[j]![r]!));
    return [
      `- ${config.sandbox} adds ${(added / 30).toFixed(1)} ms per trial (median of the rounds' differences), ${((100 * added) / median(times[j]!)).toFixed(1)}% of the harness's overhead without a sandbox`,
    ];
  });
}

try {
  const times = configs.map(() => [] as number[]);
  // One untimed run each warms the page cache.
  for (const [i, config] of configs.entries()) await timeRun(config, writeRoot(join(base, `warm${i}`)));
  for (let round = 0; round < ROUNDS; round++) {
    const order = configs.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const root = writeRoot(join(base, `r${round}-${i}`));
      times[i]!.push(await timeRun(configs[i]!, root));
      rmSync(root, { recursive: true, force: true });
    }
  }
  const lines = configs.map((config, i) => {
    const m = median(times[i]!);
    const ratio =
      i === 0 ? "" : `, ratio to the first ${median(times[i]!.map((t, r) => t / times[0]![r]!)).toFixed(2)}`;
    return `- ${describe(config)}: median ${(m / 1000).toFixed(2)} s over ${ROUNDS} rounds (${(m / 30).toFixed(0)} ms per trial; rounds ${(Math.min(...times[i]!) / 1000).toFixed(2)}–${(Math.max(...times[i]!) / 1000).toFixed(2)} s)${ratio}`;
  });
  lines.push(...sandboxOverhead(times));
  const none = configs.findLastIndex((c) => c.sandbox === "none");
  if (none >= 0 && modes.includes("bwrap")) {
    const floor = await measureSandboxFloor(base);
    if (floor) lines.push(...describeFloor(floor, median(times[none]!) / 30));
  }
  lines.push(
    `- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Bun ${Bun.version}, load average ${loadavg()[0]!.toFixed(2)}.`,
  );
  console.log(lines.join("\n"));
  if (values["write-docs"] && modes.length > 1) {
    writeBenchmarkSection(
      "## Sandbox overhead, built binary (scripts/bench/run-wall.ts --sandbox)",
      [
        "The same 30 quick trials with each trial's Copilot process and verify in bubblewrap and",
        "without, alternating round by round; the fake `copilot` exits at once, so the time per trial",
        "without a sandbox is the harness's own overhead (`bun scripts/bench/run-wall.ts --sandbox none",
        "--sandbox bwrap --rounds 9 --write-docs`):",
      ],
      lines,
    );
  } else if (values["write-docs"]) {
    writeBenchmarkSection(
      "## Whole run, built binary (scripts/bench/run-wall.ts)",
      [
        "Wall time of `dist/copilot-experiments run` from start to exit for 30 quick trials (3 variants ×",
        "2 tasks × 5 trials, a fake `copilot` that exits at once, verify per trial, `--junit`), at",
        "concurrency 1 (`bun scripts/bench/run-wall.ts --write-docs`):",
      ],
      lines,
    );
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
