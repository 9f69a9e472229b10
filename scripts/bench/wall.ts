#!/usr/bin/env bun
/**
 * Whole-process wall time of the built binary, from start to exit, each beside its floor
 * measured in the same run, rounds alternating the order (a shared machine's load falls on
 * both sides):
 *
 * - quick: `run` of 30 quick trials (3 variants × 2 tasks × 5 trials, a fake `copilot` that
 *   exits at once, a verify per trial) at concurrency 1 ÷ a bash script doing the same file
 *   work per trial: copy the fixture, `git init` + `add` + `commit`, the same fake copilot,
 *   `git add -A` + `git diff --cached`, the verify command, a meta file (target ≤ 1.5).
 * - concurrent: `run` of 16 trials of a fake that sleeps 2 s at `--concurrency 8` ÷ the ideal
 *   4 s (target ≤ 1.25).
 * - analyze: `analyze --file events.jsonl --json` of a 200 MB session log (and without --json)
 *   ÷ a bare line-split + JSON.parse script over the same file run by Bun (target ≤ 1.5).
 *
 *   bun scripts/bench/wall.ts [--binary dist/copilot-experiments] [--rounds 5]
 *     [--only quick,concurrent,analyze] [--mb 200] [--write-docs]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFakeCopilotTo } from "../../test/helpers/fake-copilot-script.ts";
import { writeBenchmarkSection } from "./_docs.ts";
import { buildLog } from "./_session-log.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/copilot-experiments" },
    rounds: { type: "string", default: "5" },
    only: { type: "string", default: "quick,concurrent,analyze" },
    mb: { type: "string", default: "200" },
    "write-docs": { type: "boolean", default: false },
  },
});
const binary = resolve(values.binary);
const ROUNDS = Number(values.rounds);
const only = new Set(values.only.split(","));
const base = mkdtempSync(join(tmpdir(), "cx-bench-wall-"));
const fake = writeFakeCopilotTo(base);
const ENV = { ...process.env, GH_TOKEN: "github_pat_bench", CI: "true", NO_COLOR: "1" };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Wall time of one process from spawn to exit; a non-zero exit is an error. */
async function time(
  cmd: string[],
  cwd: string,
  env: Record<string, string | undefined> = ENV,
): Promise<number> {
  const started = performance.now();
  const proc = Bun.spawn(cmd, { cwd, env, stdout: "ignore", stderr: "pipe", stdin: "ignore" });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}:\n${stderr}`);
  return ms;
}

function writeRoot(dir: string, yaml: string): string {
  mkdirSync(join(dir, "experiments"), { recursive: true });
  for (let i = 0; i < 12; i++) {
    const pkg = join(dir, "fixtures", "app", `pkg${i % 3}`);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, `module${i}.py`), `def f${i}(x):\n    return x + ${i}\n`.repeat(20));
  }
  writeFileSync(join(dir, "experiments", "bench.yaml"), yaml);
  return dir;
}

const QUICK = `name: Wall
tasks:
  - {name: one, prompt: p1, fixture: fixtures/app, verify: test -f FAKE_CHANGE.txt}
  - {name: two, prompt: p2, fixture: fixtures/app, verify: test -f pkg0/module0.py}
variants:
  - {name: a, trials: 5}
  - {name: b, trials: 5}
  - {name: c, trials: 5}
`;

/** The floor of `quick`: the same file work per trial, in bash, nothing else. */
const FLOOR = `#!/usr/bin/env bash
set -e
root="$1"; fake="$2"; out="$root/floor"; n=0
for task in one two; do for variant in a b c; do for trial in 1 2 3 4 5; do
  n=$((n + 1)); t="$out/$variant/$task/$trial"; ws="$t/workspace"; mkdir -p "$t"
  cp -R "$root/fixtures/app" "$ws"
  git -C "$ws" init -q --template=
  git -C "$ws" add -A
  git -C "$ws" -c user.name=bench -c user.email=bench@example.com commit -q -m baseline
  COPILOT_HOME="$t/home" "$fake" -p "p" --session-id "s$n" -C "$ws" > "$t/stdout.txt" 2>&1
  cp "$t/home/session-state/s$n/events.jsonl" "$t/events.jsonl"
  git -C "$ws" add -A
  git -C "$ws" diff --cached --numstat --patch HEAD > "$t/workspace.diff"
  if [ "$task" = one ]; then check="test -f FAKE_CHANGE.txt"; else check="test -f pkg0/module0.py"; fi
  (cd "$ws" && bash -c "$check") > "$t/verify.txt" 2>&1 || true
  printf '{"variant":"%s","task":"%s","trial":%d,"status":"ok"}\\n' "$variant" "$task" "$trial" > "$t/meta.json"
done; done; done
`;

/** A bare line-split + JSON.parse over a file: the floor of reading a session log. */
const BARE = `const decoder = new TextDecoder();
let rest = "";
let parsed = 0;
for await (const chunk of Bun.file(process.argv[2]).stream()) {
  const text = rest + decoder.decode(chunk, { stream: true });
  let start = 0;
  let nl = text.indexOf("\\n");
  while (nl !== -1) {
    if (nl > start) {
      try { JSON.parse(text.slice(start, nl)); parsed += 1; } catch {}
    }
    start = nl + 1;
    nl = text.indexOf("\\n", start);
  }
  rest = text.slice(start);
}
console.log(parsed);
`;

type Side = { label: string; run: () => Promise<number> };

/** Alternate the sides round by round; the first side is the one measured against the others. */
async function alternate(sides: Side[]): Promise<number[][]> {
  const times = sides.map(() => [] as number[]);
  for (const side of sides) await side.run(); // warm the page cache, untimed
  for (let round = 0; round < ROUNDS; round++) {
    const order = sides.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) times[i]!.push(await sides[i]!.run());
  }
  return times;
}

const lines: string[] = [];
const loadBefore = loadavg()[0]!;
try {
  if (only.has("quick")) {
    const template = writeRoot(join(base, "quick-template"), QUICK);
    writeFileSync(join(base, "floor.sh"), FLOOR);
    const fresh = () => {
      const root = join(base, "quick");
      rmSync(root, { recursive: true, force: true });
      cpSync(template, root, { recursive: true });
      return root;
    };
    const [harness, floor] = await alternate([
      {
        label: "run",
        run: () => {
          const root = fresh();
          return time([binary, "run", "--root", root, "--copilot", fake, "--concurrency", "1"], root);
        },
      },
      { label: "floor", run: () => time(["bash", join(base, "floor.sh"), fresh(), fake], base) },
    ]);
    const ratios = harness!.map((t, i) => t / floor![i]!);
    lines.push(
      `- 30 quick trials, concurrency 1: \`run\` median ${sec(median(harness!))} (${(median(harness!) / 30).toFixed(0)} ms per trial), bash floor ${sec(median(floor!))}; ratio (median of per-round ratios) **${median(ratios).toFixed(2)}** (target ≤ 1.5), rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}.`,
    );
  }
  if (only.has("concurrent")) {
    const template = writeRoot(
      join(base, "concurrent-template"),
      `name: Wall\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: v, trials: 16, env: {FAKE_SLEEP_S: "2"}}]\n`,
    );
    const [walls] = await alternate([
      {
        label: "run",
        run: () => {
          const root = join(base, "concurrent");
          rmSync(root, { recursive: true, force: true });
          cpSync(template, root, { recursive: true });
          return time([binary, "run", "--root", root, "--copilot", fake, "--concurrency", "8"], root);
        },
      },
    ]);
    const ratios = walls!.map((t) => t / 4000);
    lines.push(
      `- 16 trials × 2 s at concurrency 8: \`run\` median ${sec(median(walls!))}; ÷ the ideal 4 s **${median(ratios).toFixed(2)}** (target ≤ 1.25), rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}.`,
    );
  }
  if (only.has("analyze")) {
    const dir = join(base, "analyze");
    mkdirSync(dir);
    process.stderr.write(`building a ${values.mb} MB session log …\n`);
    const { eventsPath, otelPath } = await buildLog(dir, Number(values.mb) * 1024 * 1024);
    rmSync(otelPath); // the events log alone, as `analyze --file` is given it
    writeFileSync(join(dir, "bare.ts"), BARE);
    const [json, view, bare] = await alternate([
      { label: "json", run: () => time([binary, "analyze", "--file", eventsPath, "--json"], dir) },
      { label: "view", run: () => time([binary, "analyze", "--file", eventsPath], dir) },
      { label: "bare", run: () => time([process.execPath, join(dir, "bare.ts"), eventsPath], dir) },
    ]);
    const ratio = (xs: number[]) => median(xs.map((t, i) => t / bare![i]!)).toFixed(2);
    lines.push(
      `- \`analyze --file\` of a ${values.mb} MB events log: with \`--json\` median ${sec(median(json!))}, the terminal view ${sec(median(view!))}, the bare line-split + JSON.parse script ${sec(median(bare!))}; ratio to the bare script (median of per-round ratios) **${ratio(json!)}** with \`--json\` (target ≤ 1.5), ${ratio(view!)} without.`,
    );
  }
  lines.push(
    `- ${ROUNDS} rounds each after an untimed warm-up, the sides alternating. Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Bun ${Bun.version}, load average ${loadBefore.toFixed(2)} before and ${loadavg()[0]!.toFixed(2)} after (other work on the machine).`,
  );
  console.log(lines.join("\n"));
  if (values["write-docs"]) {
    writeBenchmarkSection(
      "## Whole process, built binary (scripts/bench/wall.ts)",
      [
        "Wall time of `dist/copilot-experiments` from start to exit, beside floors measured in the same",
        "run, rounds alternating (`bun scripts/bench/wall.ts --write-docs`): what a user waits for,",
        "including start-up, preflight, summary, report and index, and the process's exit.",
      ],
      lines,
    );
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
