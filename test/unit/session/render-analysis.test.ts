import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { writeSyntheticSession } from "../../../src/copilot/fakes/synthetic-session.ts";
import { renderAnalysis } from "../../../src/render/analysis.ts";
import { displayWidth } from "../../../src/render/table.ts";
import { analyzeSession } from "../../../src/session/analysis.ts";
import type { SessionAnalysis } from "../../../src/store/session-schema.ts";
import { SHARED_SESSIONS } from "../../helpers/cli.ts";
import { sharedSessionNames, skippedWithoutSharedSessions } from "../../helpers/shared-sessions.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** The terminal view (src/render/analysis.ts) of analyses of recorded and synthetic sessions. */

async function synthetic(turns: number, byok = false): Promise<SessionAnalysis> {
  return analyzeSession(
    writeSyntheticSession({
      dir: tempDir(),
      sessionId: `render-${turns}-${byok}`,
      model: "claude-sonnet-4.5-with-a-rather-long-model-name",
      cwd: "/a/very/long/working/directory/path/that/does/not/fit/in/eighty/columns/at/all/really",
      startTime: new Date("2026-02-02T02:02:02Z"),
      turns,
      byok,
      finalMessage: "A final answer that goes on and on, far longer than any terminal is wide. ".repeat(4),
      toolCalls: Array.from({ length: turns * 2 }, (_, i) => ({
        name: ["view", "edit", "bash", "a_tool_with_a_long_name_from_an_mcp_server"][i % 4]!,
        args: { path: `/w/f${i}` },
        success: i % 5 !== 0,
      })),
    }),
  );
}

async function analyses(): Promise<[string, SessionAnalysis][]> {
  const out: [string, SessionAnalysis][] = [
    ["synthetic-30", await synthetic(30)],
    ["synthetic-byok", await synthetic(6, true)],
  ];
  for (const name of sharedSessionNames()) {
    const dir = join(SHARED_SESSIONS, name);
    out.push([
      name,
      await analyzeSession({
        eventsPath: join(dir, "events.jsonl"),
        otelPath: join(dir, "copilot-otel.jsonl"),
      }),
    ]);
  }
  return out;
}

skippedWithoutSharedSessions("renderAnalysis on the recorded sessions");

describe("renderAnalysis", () => {
  test("fits 80 columns, and 200 on a wide terminal, for every session", async () => {
    for (const [name, analysis] of await analyses()) {
      for (const width of [80, 200]) {
        const text = renderAnalysis(analysis, { width, color: true });
        for (const line of text.split("\n")) {
          if (displayWidth(line) > width)
            throw new Error(`${name} @${width}: ${displayWidth(line)} > ${width}: ${line}`);
        }
      }
    }
  });

  test("has every section, in order", async () => {
    const text = renderAnalysis(await synthetic(30), { width: 100 });
    const titles = [
      "Session render-30-false",
      "Totals",
      "Tools",
      "Cost by token type",
      "Session economics",
      "Per model",
      "LLM calls",
      "Phases",
      "Timeline",
      "Event types",
    ];
    const positions = titles.map((t) => text.indexOf(`\n${t}`) + 1 || text.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test("colours only when asked", async () => {
    const analysis = await synthetic(6);
    const plain = renderAnalysis(analysis, { width: 80, color: false });
    const coloured = renderAnalysis(analysis, { width: 80, color: true });
    expect(plain).not.toContain("\x1b[");
    expect(coloured).toContain("\x1b[");
    expect(stripVTControlCharacters(coloured)).toBe(plain);
  });

  test("--max-turns limits the timeline and the call table, and says so", async () => {
    const text = renderAnalysis(await synthetic(30), { width: 120, maxTurns: 7 });
    expect(text).toContain("… 23 more turns");
    expect(text).toContain("… 23 more calls");
  });

  test("an unknown cost reads as unknown, not as zero", async () => {
    const text = renderAnalysis(await synthetic(6, true), { width: 80 });
    expect(text).toContain("AIU unknown");
    expect(text).not.toMatch(/AIU 0\.0000/);
  });

  test("an empty analysis still renders", async () => {
    const path = join(tempDir(), "empty.jsonl");
    await Bun.write(path, "");
    const text = renderAnalysis(await analyzeSession({ eventsPath: path }), { width: 80 });
    expect(text).toContain("Session (unknown id)");
  });
});
