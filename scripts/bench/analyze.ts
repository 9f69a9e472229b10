#!/usr/bin/env bun
/**
 * Session analysis benchmark (issue 4): builds a large log by replicating the recorded sessions
 * in ../shared/sessions (synthetic ones when that folder is absent) with fresh ids, about 300 MB
 * of events.jsonl plus the matching OTel file, in a temporary folder. Then, in this one process,
 * it alternates a bare line-split + JSON.parse loop and `analyzeSession` over the same files and
 * reports the time ratio and the peak RSS.
 *
 *   bun scripts/bench/analyze.ts [--mb 300] [--rounds 7] [--keep]
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { analyzeSession } from "../../src/session/analysis.ts";
import { buildLog } from "./_session-log.ts";

const { values } = parseArgs({
  options: {
    mb: { type: "string", default: "300" },
    rounds: { type: "string", default: "7" },
    keep: { type: "boolean", default: false },
  },
});
const targetBytes = Number(values.mb) * 1024 * 1024;
const rounds = Number(values.rounds);
/** The baseline: the cheapest honest way to read the same files line by line. */
async function bareLoop(paths: string[]): Promise<number> {
  let parsed = 0;
  for (const path of paths) {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of Bun.file(path).stream()) {
      const text = rest + decoder.decode(chunk, { stream: true });
      let start = 0;
      let nl = text.indexOf("\n");
      while (nl !== -1) {
        if (nl > start) {
          try {
            JSON.parse(text.slice(start, nl));
            parsed += 1;
          } catch {}
        }
        start = nl + 1;
        nl = text.indexOf("\n", start);
      }
      rest = text.slice(start);
    }
  }
  return parsed;
}

/** Linux: writing 5 to clear_refs resets VmHWM, so each phase gets its own peak. */
function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

function peakRssFromProc(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;

const dir = mkdtempSync(join(tmpdir(), "cx-bench-analyze-"));
try {
  process.stderr.write(`building a ~${values.mb} MB session log in ${dir} …\n`);
  const { eventsPath, otelPath } = await buildLog(dir, targetBytes);
  const sizes = { events: statSync(eventsPath).size, otel: statSync(otelPath).size };
  const buildPeak = peakRssFromProc() ?? 0;
  const bare: number[] = [];
  const analysis: number[] = [];
  let barePeak = 0;
  let analysisPeak = 0;
  let perPhase = true;
  let result: Awaited<ReturnType<typeof analyzeSession>> | undefined;
  for (let r = 0; r < rounds; r++) {
    Bun.gc(true);
    perPhase &&= resetPeakRss();
    let t = performance.now();
    await bareLoop([eventsPath, otelPath]);
    bare.push(performance.now() - t);
    barePeak = Math.max(barePeak, peakRssFromProc() ?? 0);
    result = undefined;
    Bun.gc(true);
    perPhase &&= resetPeakRss();
    t = performance.now();
    result = await analyzeSession({ eventsPath, otelPath });
    analysis.push(performance.now() - t);
    analysisPeak = Math.max(analysisPeak, peakRssFromProc() ?? 0);
    process.stderr.write(
      `round ${r + 1}: bare ${bare.at(-1)!.toFixed(0)} ms, analysis ${analysis.at(-1)!.toFixed(0)} ms\n`,
    );
  }
  // Each round runs both back to back, so a slow moment of a shared machine hits both: the
  // median of the per-round ratios is the steadiest figure.
  const ratio = median(analysis.map((a, i) => a / bare[i]!));
  const ratios = analysis.map((a, i) => a / bare[i]!);
  const rows = [
    ["events.jsonl", mb(sizes.events)],
    ["copilot-otel.jsonl", mb(sizes.otel)],
    ["events / turns / LLM calls", `${result!.n_events} / ${result!.n_turns} / ${result!.n_llm_calls}`],
    [
      `bare split + JSON.parse, median (fastest) of ${rounds}`,
      `${ms(median(bare))} (${ms(Math.min(...bare))})`,
    ],
    [
      `analyzeSession, median (fastest) of ${rounds}`,
      `${ms(median(analysis))} (${ms(Math.min(...analysis))})`,
    ],
    ["ratio analysis / bare, median of the rounds (target ≤ 1.5)", ratio.toFixed(2)],
    [
      "ratio per round, lowest – highest",
      `${Math.min(...ratios).toFixed(2)} – ${Math.max(...ratios).toFixed(2)}`,
    ],
    ...(perPhase
      ? [
          ["peak RSS during analyzeSession (target ≤ 250 MB)", mb(analysisPeak)],
          ["peak RSS during the bare loop", mb(barePeak)],
          ["peak RSS while building the log", mb(buildPeak)],
        ]
      : [
          [
            "peak RSS of the whole process (target ≤ 250 MB)",
            mb(Math.max(buildPeak, barePeak, analysisPeak)),
          ],
        ]),
    ["Bun / load average at the end", `${Bun.version} / ${loadavg()[0]!.toFixed(2)}`],
  ];
  process.stdout.write(
    `| measure | value |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join("\n")}\n`,
  );
} finally {
  if (values.keep) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
