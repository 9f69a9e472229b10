#!/usr/bin/env bun
/**
 * Start-up of the built binary as a user feels it: `--version`, `--help`, `help run` (loads one
 * command's spec) and `list` in an empty folder (a whole command), beside a trivial compiled
 * Bun program that prints one line — the floor of any compiled Bun executable. Measured with
 * hyperfine in one run (no shell, warm-up runs first); the ratios to the trivial program are
 * the figures that carry over between machines and loads.
 *
 *   bun scripts/bench/startup.ts [--binary dist/copilot-experiments] [--runs 60] [--write-docs]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { $ } from "bun";
import { writeBenchmarkSection } from "./_docs.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/copilot-experiments" },
    runs: { type: "string", default: "60" },
    "write-docs": { type: "boolean", default: false },
  },
});
const binary = resolve(values.binary);
const dir = mkdtempSync(join(tmpdir(), "cx-bench-startup-"));

interface HyperfineResult {
  command: string;
  mean: number;
  median: number;
  user: number;
  system: number;
}

try {
  writeFileSync(join(dir, "trivial.ts"), 'await Bun.write(Bun.stdout, "0.1.0\\n");\n');
  await $`bun build --compile --minify ${join(dir, "trivial.ts")} --outfile ${join(dir, "trivial")}`.quiet();
  const empty = join(dir, "empty");
  const commands: [string, string][] = [
    ["trivial compiled Bun program", join(dir, "trivial")],
    ["--version", `${binary} --version`],
    ["--help", `${binary} --help`],
    ["help run", `${binary} help run`],
    ["list (empty folder)", `${binary} list --root ${empty}`],
  ];
  const load = loadavg()[0]!;
  const json = join(dir, "hyperfine.json");
  await $`hyperfine -N --warmup 5 --runs ${values.runs} --export-json ${json} ${commands.map(([, c]) => c)}`.quiet();
  const results = (JSON.parse(readFileSync(json, "utf8")) as { results: HyperfineResult[] }).results;
  const floor = results[0]!;
  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  const lines = results.map((r, i) => {
    const ratio = (r.median / floor.median).toFixed(2);
    const cpu = ((r.user + r.system) / (floor.user + floor.system)).toFixed(2);
    return `| ${commands[i]![0]} | ${ms(r.median)} | ${ms(r.mean)} | ${ms(r.user)} | ${ms(r.system)} | ${ratio} | ${cpu} |`;
  });
  // hyperfine runs one command after the other: on a shared machine the load moves between
  // them, so CPU time (user + system) is the steadier comparison.
  const table = [
    "| command | median | mean | user | system | ÷ trivial (median) | ÷ trivial (CPU) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...lines,
  ];
  const after = loadavg()[0]!;
  const machine = `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Bun ${Bun.version}, load average ${load.toFixed(2)} before and ${after.toFixed(2)} after; hyperfine -N, 5 warm-up runs, ${values.runs} runs each, output to /dev/null.`;
  console.log([...table, "", machine].join("\n"));
  if (values["write-docs"]) {
    writeBenchmarkSection(
      "## Start-up of the built binary (scripts/bench/startup.ts)",
      [
        "Whole-process wall time of `dist/copilot-experiments` for the commands a new user types first,",
        "beside a compiled Bun program that only prints a line (`bun scripts/bench/startup.ts --write-docs`).",
        "`--version`, `--help` and `help CMD` load no command module (ADR 0016): `help CMD` loads only the",
        "command's spec (`cli/options/`). The binary is compiled with `--bytecode` (`scripts/_compile.ts`):",
        "a command's modules load without being parsed.",
      ],
      [...table, "", `- ${machine}`],
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
