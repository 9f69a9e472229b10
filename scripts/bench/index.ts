#!/usr/bin/env bun
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { rebuildIndex } from "../../src/index/rebuild.ts";
import { Redactor } from "../../src/secrets/redact.ts";
import type { TrialStatus } from "../../src/store/schema.ts";
import { type HandTrial, writeHandMadeRun } from "../../test/helpers/hand-made-run.ts";
/**
 * SQLite index benchmark (issue 5): writes a synthetic results tree of 10,000 trials (4 runs ×
 * 5 variants × 50 tasks × 10 trials, every status represented) in a temporary folder. Then, in
 * this one process, it alternates (a) reading and JSON.parse-ing every meta.json + metrics.json
 * of the tree and (b) `rebuildIndex` over the same tree, and reports the median time of each and
 * their ratio (target ≤ 2.0). With --write-docs the figures replace the section
 * "## SQLite index (scripts/bench/index.ts)" of docs/benchmarks.md.
 *
 *   bun scripts/bench/index.ts [--runs 4] [--rounds 5] [--keep] [--write-docs]
 */
import { writeBenchmarkSection } from "./_docs.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "4" },
    rounds: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
    "write-docs": { type: "boolean", default: false },
  },
});
const RUNS = Number(values.runs);
const ROUNDS = Number(values.rounds);
const VARIANTS = 5;
const TASKS = 50;
const TRIALS = 10;
const STATUSES: TrialStatus[] = [
  "ok",
  "ok",
  "ok",
  "ok",
  "ok",
  "ok",
  "timeout",
  "copilot_failed",
  "harness_error",
  "skipped",
];

function buildTree(root: string): void {
  const variants = Array.from({ length: VARIANTS }, (_, i) => ({ slug: `variant-${i + 1}` }));
  const tasks = Array.from({ length: TASKS }, (_, i) => ({ slug: `task-${String(i + 1).padStart(3, "0")}` }));
  for (let r = 0; r < RUNS; r++) {
    const trials: HandTrial[] = [];
    for (const [vi, v] of variants.entries()) {
      for (const [ti, t] of tasks.entries()) {
        for (let n = 1; n <= TRIALS; n++) {
          const status = STATUSES[(vi + ti + n + r) % STATUSES.length]!;
          const seed = (r * 7919 + vi * 104729 + ti * 31 + n) % 1000;
          trials.push({
            variant: v.slug,
            task: t.slug,
            trial: n,
            status,
            success: status === "ok" ? seed % 3 !== 0 : undefined,
            metrics:
              status === "copilot_failed" || status === "harness_error"
                ? null
                : {
                    aiu: 0.1 + seed / 500,
                    output_tokens: 100 + seed,
                    input_tokens_total: 5000 + seed * 20,
                    total_tokens: 5100 + seed * 21,
                    n_turns: 1 + (seed % 12),
                    n_tool_calls: seed % 20,
                  },
          });
        }
      }
    }
    writeHandMadeRun(root, {
      runId: `20260301T12000${r}Z_be0c${String(r).padStart(2, "0")}`,
      experiment: `bench-${(r % 2) + 1}`,
      startedAt: `2026-03-01T12:00:0${r}.000Z`,
      variants,
      tasks,
      trials,
    });
  }
}

/** Every meta.json and metrics.json of the tree (listed once, outside the timed part). */
function trialFiles(results: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name === "meta.json" || e.name === "metrics.json") files.push(path);
    }
  };
  walk(results);
  return files.sort();
}

function time(fn: () => void): number {
  const start = Bun.nanoseconds();
  fn();
  return (Bun.nanoseconds() - start) / 1e6;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const root = mkdtempSync(join(tmpdir(), "cx-bench-index-"));
try {
  const built = time(() => buildTree(root));
  const files = trialFiles(join(root, "results"));
  const db = join(root, "bench.db");
  let parsed = 0;
  const readAll = () => {
    for (const file of files) parsed += Object.keys(JSON.parse(readFileSync(file, "utf8"))).length;
  };
  let counts = { runs: 0, trials: 0 };
  const reindex = () => {
    counts = rebuildIndex(root, Redactor.none, db);
  };
  // One untimed pass of each warms the page cache and the JIT alike.
  readAll();
  reindex();
  const read: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    read.push(time(readAll));
    index.push(time(reindex));
  }
  // Each round's pair runs back to back under the same machine load: the median of the
  // per-round ratios is steadier than a ratio of medians on a shared machine.
  const ratio = median(index.map((ms, i) => ms / read[i]!));
  const lines = [
    `- Tree: ${counts.runs} runs, ${counts.trials} trials (${files.length} meta.json + metrics.json files), written in ${(built / 1000).toFixed(1)} s.`,
    `- Read + JSON.parse of those files: median ${median(read).toFixed(0)} ms over ${ROUNDS} rounds.`,
    `- \`rebuildIndex\` (walk, parse + validate, summaries, one transaction of inserts): median ${median(index).toFixed(0)} ms.`,
    `- Ratio (median of the per-round ratios): **${ratio.toFixed(2)}** (target ≤ 2.0); best round ${Math.min(...index.map((ms, i) => ms / read[i]!)).toFixed(2)}.`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Bun ${Bun.version}.`,
  ];
  console.log(lines.join("\n"));
  if (parsed === 0) throw new Error("nothing was read");
  if (values["write-docs"]) writeDocs(lines);
  if (ratio > 2) process.exitCode = 1;
} finally {
  if (!values.keep) rmSync(root, { recursive: true, force: true });
  else console.log(`tree kept in ${root}`);
}

/** Replace (or append) this benchmark's section of docs/benchmarks.md; other sections stay. */
function writeDocs(lines: string[]): void {
  writeBenchmarkSection(
    "## SQLite index (scripts/bench/index.ts)",
    [
      "`reindex` time ÷ the time to only read and `JSON.parse` the same meta.json + metrics.json files,",
      "measured side by side in one process (`bun scripts/bench/index.ts --write-docs`):",
    ],
    lines,
  );
}
