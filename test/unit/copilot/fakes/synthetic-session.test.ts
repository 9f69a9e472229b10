import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type SyntheticSessionOptions,
  writeSyntheticSession,
} from "../../../../src/copilot/fakes/synthetic-session.ts";
import { analyzeSession } from "../../../../src/session/analysis.ts";
import { computePhases } from "../../../../src/session/phases.ts";
import type { Turn } from "../../../../src/store/session-schema.ts";
import { tempDir } from "../../../helpers/tmp.ts";

const base = (over: Partial<SyntheticSessionOptions> = {}): SyntheticSessionOptions => ({
  dir: tempDir("cx-synth-"),
  sessionId: "12345678-aaaa-4bbb-8ccc-1234567890ab",
  model: "claude-sonnet-4.5",
  cwd: "/w",
  startTime: new Date("2026-05-05T05:05:05.000Z"),
  toolCalls: [
    { name: "view", args: { path: "/w/NOTES.md" }, success: false, result: "Path does not exist" },
    { name: "create", args: { path: "/w/NOTES.md" }, success: true },
    { name: "bash", args: { command: "cat NOTES.md" }, success: true },
  ],
  ...over,
});

describe("synthetic sessions", () => {
  test("are deterministic given their inputs", () => {
    const a = writeSyntheticSession(base());
    const b = writeSyntheticSession(base());
    expect(readFileSync(a.eventsPath, "utf8")).toBe(readFileSync(b.eventsPath, "utf8"));
    expect(readFileSync(a.otelPath, "utf8")).toBe(readFileSync(b.otelPath, "utf8"));
    const c = writeSyntheticSession(base({ sessionId: "another" }));
    expect(readFileSync(c.eventsPath, "utf8")).not.toBe(readFileSync(a.eventsPath, "utf8"));
  });

  test("use the current (1.0.102) schema: usage records, no tokenDetails in the shutdown", () => {
    const { eventsPath } = writeSyntheticSession(base());
    const events = readFileSync(eventsPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events[0].data.copilotVersion).toBe("1.0.102");
    expect(events.filter((e) => e.type === "session.usage_record")).toHaveLength(4);
    const shutdown = events.at(-1);
    expect(shutdown.type).toBe("session.shutdown");
    expect(shutdown.data.tokenDetails).toBeUndefined();
    expect(events.every((e, i) => i === 0 || e.parentId === events[i - 1].id)).toBe(true);
  });

  test("analyze to the numbers they were built with, the same from the shutdown and the calls", async () => {
    const opts = base();
    const a = await analyzeSession(writeSyntheticSession(opts));
    expect(a.session_id).toBe(opts.sessionId);
    expect(a.models).toEqual([opts.model]);
    expect(a.n_turns).toBe(4);
    expect(a.n_tool_calls).toBe(3);
    expect(a.n_tool_failures).toBe(1);
    expect(a.tools.map((t) => [t.name, t.calls, t.failures])).toEqual([
      ["bash", 1, 0],
      ["create", 1, 0],
      ["view", 1, 1],
    ]);
    expect(a.turns.map((t) => t.tools)).toEqual([["view"], ["create"], ["bash"], []]);
    expect(a.n_llm_calls).toBe(4);
    expect(a.llm_calls_source).toBe("otel");
    const sum = (pick: (c: (typeof a.llm_calls)[number]) => number | null) =>
      a.llm_calls.reduce((s, c) => s + (pick(c) ?? 0), 0);
    expect(sum((c) => c.input_tokens)).toBe(a.economics.input_tokens_total!);
    expect(sum((c) => c.cache_read_input_tokens)).toBe(a.economics.cache_read_tokens!);
    expect(sum((c) => c.output_tokens)).toBe(a.economics.output_tokens!);
    expect(sum((c) => c.aiu)).toBeCloseTo(a.economics.aiu!, 9);
    expect(a.economics.aiu!).toBeGreaterThan(0);
    expect(a.llm_calls.every((c) => c.current_tokens !== null)).toBe(true);
    expect([a.economics.files_modified, a.economics.lines_added]).toEqual([1, 1]);
    expect(a.turns.at(-1)!.preview).toContain("Done");
    expect(a.warnings).toEqual([]);
    expect(a.n_malformed_lines).toBe(0);
  });

  test("BYOK: credits unavailable, so no AIU anywhere", async () => {
    const a = await analyzeSession(writeSyntheticSession(base({ byok: true })));
    expect(a.economics.aiu).toBeNull();
    expect(a.llm_calls.every((c) => c.aiu === null)).toBe(true);
    expect(a.economics.input_tokens_total).toBeGreaterThan(0);
  });

  test("more turns than tool calls, and all the calls in one turn", async () => {
    const many = await analyzeSession(writeSyntheticSession(base({ turns: 12 })));
    expect(many.n_turns).toBe(12);
    expect(many.n_tool_calls).toBe(3);
    expect(many.phases).toHaveLength(5);
    const one = await analyzeSession(writeSyntheticSession(base({ turns: 1 })));
    expect(one.n_turns).toBe(1);
    expect(one.turns[0]!.n_tool_calls).toBe(3);
    const none = await analyzeSession(writeSyntheticSession(base({ toolCalls: [] })));
    expect([none.n_turns, none.n_tool_calls]).toEqual([1, 0]);
  });

  test("write where they are told", () => {
    const dir = join(tempDir(), "nested", "session");
    const paths = writeSyntheticSession(base({ dir }));
    expect(paths).toEqual({
      eventsPath: join(dir, "events.jsonl"),
      otelPath: join(dir, "copilot-otel.jsonl"),
    });
  });
});

describe("phases", () => {
  const turn = (index: number, output: number | null, tools: number): Turn => ({
    index,
    turn_id: String(index - 1),
    started_at: null,
    offset_s: null,
    duration_s: 1,
    output_tokens: output,
    n_tool_calls: tools,
    tools: [],
    preview: "",
  });

  test("fewer than five turns: no phases", () => {
    expect(computePhases([1, 2, 3, 4].map((i) => turn(i, 10, 1)))).toEqual([]);
  });

  test("twelve turns cut into 3+3+2+2+2 with shares of the output", () => {
    const turns = Array.from({ length: 12 }, (_, i) => turn(i + 1, i === 0 ? null : 10, i % 2));
    const phases = computePhases(turns);
    expect(phases.map((p) => [p.first_turn, p.last_turn])).toEqual([
      [1, 3],
      [4, 6],
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expect(phases.map((p) => p.output_tokens)).toEqual([20, 30, 20, 20, 20]);
    expect(phases.reduce((s, p) => s + (p.output_share ?? 0), 0)).toBeCloseTo(1, 12);
    expect(phases.reduce((s, p) => s + p.tool_calls, 0)).toBe(6);
    expect(phases[0]!.duration_s).toBe(3);
  });
});
