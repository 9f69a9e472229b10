#!/usr/bin/env bun
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runtimeCacheDir } from "../../src/copilot/state-env.ts";
import { writeBenchmarkSection } from "./_docs.ts";
/**
 * What sharing the Copilot CLI's extracted runtime saves (docs/hermetic-trials.md), measured
 * side by side in this one process: a CLI start (`copilot --version --no-auto-update`) with the
 * shared, already extracted runtime versus with an empty runtime cache of its own (what a
 * per-trial `COPILOT_PKG_CACHE_HOME` would cost every trial), alternating, N rounds each.
 *
 *   bun scripts/bench/runtime-cache.ts [--copilot PATH] [--rounds 5]
 */
import { du } from "./_du.ts";

const { values } = parseArgs({
  options: {
    copilot: {
      type: "string",
      default: resolve(
        import.meta.dir,
        `../../node_modules/@github/copilot-${process.platform}-${process.arch}/copilot`,
      ),
    },
    rounds: { type: "string", default: "5" },
  },
});
const ROUNDS = Number(values.rounds);
const base = mkdtempSync(join(tmpdir(), "cx-bench-runtime-"));

async function start(pkgCache: string): Promise<{ ms: number; version: string }> {
  const home = mkdtempSync(join(base, "state-"));
  const started = performance.now();
  const proc = Bun.spawn([values.copilot!, "--version", "--no-auto-update"], {
    env: {
      ...process.env,
      COPILOT_HOME: join(home, "home"),
      COPILOT_CACHE_HOME: join(home, "cache"),
      COPILOT_PKG_CACHE_HOME: pkgCache,
    },
    stdout: "pipe",
    stderr: "ignore",
  });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const ms = performance.now() - started;
  rmSync(home, { recursive: true, force: true });
  return { ms, version: /\d+\.\d+\.\d+/.exec(out)?.[0] ?? "?" };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const shared = runtimeCacheDir(process.env);
const warm = await start(shared); // make sure the shared runtime is extracted
const sharedMs: number[] = [];
const freshMs: number[] = [];
let freshBytes = 0;
try {
  for (let i = 0; i < ROUNDS; i++) {
    sharedMs.push((await start(shared)).ms);
    const fresh = mkdtempSync(join(base, "pkg-"));
    freshMs.push((await start(fresh)).ms);
    freshBytes = await du(fresh);
    rmSync(fresh, { recursive: true, force: true });
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
const ratio = median(freshMs) / median(sharedMs);
const lines = [
  "| runtime cache | median start | per trial on disk |",
  "| --- | --- | --- |",
  `| shared (extracted once per version) | ${(median(sharedMs) / 1000).toFixed(2)} s | 0 |`,
  `| a fresh one per trial | ${(median(freshMs) / 1000).toFixed(2)} s | ${(freshBytes / 1e6).toFixed(0)} MB |`,
  "",
  `A fresh runtime per trial costs ${ratio.toFixed(1)}× the CLI's start, +${((median(freshMs) - median(sharedMs)) / 1000).toFixed(1)} s per trial (Copilot CLI ${warm.version}, ${ROUNDS} alternating rounds, load ${loadavg()[0]!.toFixed(1)}).`,
];
console.log(lines.join("\n"));
writeBenchmarkSection(
  "## Copilot runtime cache (scripts/bench/runtime-cache.ts)",
  [
    "Trials share the CLI's extracted runtime and get their own COPILOT_HOME and COPILOT_CACHE_HOME",
    "(docs/hermetic-trials.md). The alternative, a runtime cache per trial, measured side by side:",
  ],
  lines,
);
