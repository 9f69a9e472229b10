import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeSyntheticSession } from "../../../src/copilot/fakes/synthetic-session.ts";
import { analyzeSession } from "../../../src/session/analysis.ts";
import { toTrialMetrics } from "../../../src/session/metrics.ts";
import {
  type SessionAnalysis,
  SessionAnalysisSchema,
  TrialMetricsSchema,
} from "../../../src/store/session-schema.ts";
import { SHARED_SESSIONS } from "../../helpers/cli.ts";
import { sharedSessionNames, skippedWithoutSharedSessions } from "../../helpers/shared-sessions.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** Bad content never throws and never shifts the counts of the good content around it. */

let n = 0;
async function analyzeText(events: string, otel?: string): Promise<SessionAnalysis> {
  const dir = tempDir("cx-session-");
  n += 1;
  const eventsPath = join(dir, `events-${n}.jsonl`);
  writeFileSync(eventsPath, events);
  let otelPath: string | undefined;
  if (otel !== undefined) {
    otelPath = join(dir, `otel-${n}.jsonl`);
    writeFileSync(otelPath, otel);
  }
  const analysis = await analyzeSession({ eventsPath, otelPath });
  // Whatever went in, what comes out is valid, JSON-safe data.
  SessionAnalysisSchema.parse(analysis);
  TrialMetricsSchema.parse(toTrialMetrics(analysis, { files: 1, added: 2, removed: 3 }));
  expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
  return analysis;
}

/** A GitHub-hosted synthetic session: known counts, independent of ../shared. */
function syntheticText(byok = false): { events: string; otel: string } {
  const paths = writeSyntheticSession({
    dir: tempDir("cx-synth-"),
    sessionId: "0f0f0f0f-1111-4222-8333-444444444444",
    model: "claude-sonnet-4.5",
    cwd: "/home/dev/project",
    startTime: new Date("2026-03-01T10:00:00Z"),
    turns: 6,
    byok,
    toolCalls: [
      { name: "view", args: { path: "/home/dev/project/a.py" }, success: true },
      { name: "edit", args: { path: "/home/dev/project/a.py" }, success: true },
      { name: "bash", args: { command: "pytest" }, success: false },
      { name: "view", args: { path: "/home/dev/project/b.py" }, success: true },
    ],
  });
  return { events: readFileSync(paths.eventsPath, "utf8"), otel: readFileSync(paths.otelPath, "utf8") };
}

const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

describe("robustness", () => {
  test("an empty file is an empty analysis", async () => {
    const a = await analyzeText("");
    expect(a.n_events).toBe(0);
    expect(a.n_malformed_lines).toBe(0);
    expect(a.n_turns).toBe(0);
    expect(a.models).toEqual([]);
    expect(a.economics.aiu).toBeNull();
    expect(a.economics.input_tokens_total).toBeNull();
    expect(a.duration_s).toBeNull();
  });

  test("a missing events file is an error (the caller decides what it means)", async () => {
    await expect(analyzeSession({ eventsPath: join(tempDir(), "nope.jsonl") })).rejects.toThrow(
      "no such file",
    );
  });

  test("a truncated last line is skipped and counted; the OTel calls stand in for the lost shutdown", async () => {
    const { events, otel } = syntheticText();
    const full = await analyzeText(events, otel);
    const all = lines(events);
    const cut = `${all.slice(0, -1).join("\n")}\n${all.at(-1)!.slice(0, 80)}`;
    const a = await analyzeText(cut, otel);
    expect(a.n_malformed_lines).toBe(1);
    expect(a.n_events).toBe(full.n_events - 1);
    expect(a.n_turns).toBe(full.n_turns);
    expect(a.n_tool_calls).toBe(full.n_tool_calls);
    expect(a.economics.input_tokens_total).toBe(full.economics.input_tokens_total);
    expect(a.economics.aiu!).toBeCloseTo(full.economics.aiu!, 9);
    expect(a.economics.files_modified).toBeNull();
    expect(a.warnings.map((w) => w.kind)).toContain("malformed_lines");
    expect(a.warnings.map((w) => w.kind)).toContain("no_shutdown");
  });

  test("garbage lines between events change nothing but the malformed count", async () => {
    const { events, otel } = syntheticText();
    const clean = await analyzeText(events, otel);
    const garbage = [
      "not json",
      "{",
      '{"type":',
      "[1,2,3]",
      "null",
      '"a string"',
      "42",
      '{"no_type":1}',
      "\u0000\u0001",
    ];
    const mixed = lines(events).flatMap((line, i) => [line, garbage[i % garbage.length]!]);
    const a = await analyzeText(mixed.join("\n"), otel);
    expect(a.n_malformed_lines).toBe(lines(events).length);
    const { n_malformed_lines: _m, warnings: _w, ...rest } = a;
    const { n_malformed_lines: _m2, warnings: _w2, ...cleanRest } = clean;
    expect(rest).toEqual(cleanRest);
  });

  test("a file of only unknown events is counted and otherwise ignored", async () => {
    const events = ["future.thing", "future.thing", "other.event"]
      .map((type, i) => JSON.stringify({ type, data: { x: i }, timestamp: `2026-01-01T00:00:0${i}.000Z` }))
      .join("\n");
    const a = await analyzeText(events);
    expect(a.n_events).toBe(3);
    expect(a.event_type_counts).toEqual({ "future.thing": 2, "other.event": 1 });
    expect(a.n_turns + a.n_tool_calls + a.n_assistant_messages).toBe(0);
    expect(a.duration_s).toBe(2);
  });

  test("events with missing or wrongly typed fields are read as far as they make sense", async () => {
    const events = [
      { type: "session.start", data: { sessionId: 7, selectedModel: 42, context: "nowhere" } },
      { type: "session.start", data: "not an object" },
      { type: 5 },
      { type: "assistant.turn_start", data: { turnId: 3, interactionId: null } },
      {
        type: "assistant.message",
        data: { content: { text: "x" }, toolRequests: "none", outputTokens: "9" },
      },
      { type: "assistant.message" },
      { type: "tool.execution_start", data: { toolCallId: ["x"], toolName: null } },
      { type: "tool.execution_complete", data: { toolCallId: 1, success: "no", result: 5 } },
      { type: "tool.execution_complete", data: { success: false, result: { content: ["a"] } } },
      { type: "session.usage_record", data: { usage: { inputTokens: "100", outputTokens: -5, model: 1 } } },
      {
        type: "session.compaction_complete",
        data: { compactionTokensUsed: { copilotUsage: { tokenDetails: 3 } } },
      },
      { type: "session.truncation", data: null },
      {
        type: "session.shutdown",
        data: {
          modelMetrics: "x",
          tokenDetails: [1],
          totalNanoAiu: "9",
          codeChanges: { filesModified: "a" },
        },
      },
      { type: "session.shutdown", data: { modelMetrics: { m: { usage: { inputTokens: Number.NaN } } } } },
      { type: "assistant.turn_end", timestamp: 12345 },
    ].map((e) => JSON.stringify(e));
    const a = await analyzeText(events.join("\n"));
    expect(a.n_events).toBe(events.length - 1);
    expect(a.n_malformed_lines).toBe(1);
    expect(a.n_turns).toBe(1);
    expect(a.n_assistant_messages).toBe(2);
    expect(a.n_tool_calls).toBe(3);
    expect(a.n_tool_failures).toBe(1);
    expect(a.economics.n_truncations).toBe(1);
    expect(a.economics.n_compactions).toBe(1);
    expect(a.models).toEqual([]);
    expect(a.session_id).toBeNull();
    expect(a.economics.aiu).toBeNull();
  });

  test("several shutdowns (a resumed session) are summed; context and code changes come from the last", async () => {
    const first = syntheticText();
    const second = writeSyntheticSession({
      dir: tempDir(),
      sessionId: "0f0f0f0f-1111-4222-8333-444444444444",
      model: "gpt-5.5",
      cwd: "/home/dev/project",
      startTime: new Date("2026-03-01T11:00:00Z"),
      turns: 2,
      toolCalls: [{ name: "create", args: { path: "/home/dev/project/c.py" }, success: true }],
    });
    const one = await analyzeText(first.events);
    const two = await analyzeSession({ eventsPath: second.eventsPath });
    const both = await analyzeText(first.events + readFileSync(second.eventsPath, "utf8"));
    const e = both.economics;
    expect(e.input_tokens_total).toBe(one.economics.input_tokens_total! + two.economics.input_tokens_total!);
    expect(e.output_tokens).toBe(one.economics.output_tokens! + two.economics.output_tokens!);
    expect(e.n_requests).toBe(one.economics.n_requests! + two.economics.n_requests!);
    expect(e.aiu!).toBeCloseTo(one.economics.aiu! + two.economics.aiu!, 9);
    expect(e.context_tokens).toBe(two.economics.context_tokens);
    expect(e.files_modified).toBe(1);
    expect(e.lines_added).toBe(two.economics.lines_added);
    expect(e.model_metrics.map((m) => m.model)).toEqual(["claude-sonnet-4.5", "gpt-5.5"]);
    expect(both.models).toEqual(["claude-sonnet-4.5", "gpt-5.5"]);
    expect(both.n_turns).toBe(one.n_turns + two.n_turns);
    expect(both.warnings.map((w) => w.kind)).toContain("resumed");
  });

  test("a resumed session whose second part has no cost has an unknown total cost", async () => {
    const hosted = syntheticText();
    const byok = syntheticText(true);
    const a = await analyzeText(hosted.events + byok.events);
    expect(a.economics.aiu).toBeNull();
    expect(a.economics.aiu_by_type).toBeNull();
    expect(a.economics.input_tokens_total).not.toBeNull();
  });
});

/** Mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  "session.start",
  "session.shutdown",
  "assistant.turn_start",
  "assistant.turn_end",
  "assistant.message",
  "tool.execution_start",
  "tool.execution_complete",
  "session.usage_record",
  "session.compaction_complete",
  "session.truncation",
  "session.warning",
];

function mutateValue(value: unknown, rand: () => number, depth = 0): unknown {
  const replacements = [
    null,
    "x",
    42,
    -1,
    1e308,
    [],
    {},
    true,
    "2026-13-45T99:99:99Z",
    [1, "a"],
    { tokenCount: "7" },
  ];
  if (value !== null && typeof value === "object" && depth < 6 && rand() < 0.8) {
    const keys = Object.keys(value);
    if (keys.length > 0) {
      const key = keys[Math.floor(rand() * keys.length)]!;
      const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...value };
      copy[key] = mutateValue((value as Record<string, unknown>)[key], rand, depth + 1);
      return copy;
    }
  }
  return replacements[Math.floor(rand() * replacements.length)];
}

function mutateLines(source: string[], rand: () => number): string[] {
  const out = [...source];
  const ops = 1 + Math.floor(rand() * 12);
  for (let k = 0; k < ops && out.length > 0; k++) {
    const i = Math.floor(rand() * out.length);
    const line = out[i]!;
    switch (Math.floor(rand() * 7)) {
      case 0:
        out.splice(i, 1);
        break;
      case 1:
        out.splice(i, 0, line);
        break;
      case 2:
        out[i] = line.slice(0, Math.floor(rand() * line.length));
        break;
      case 3: {
        const at = Math.floor(rand() * line.length);
        out[i] = `${line.slice(0, at)}#\u00ff}${line.slice(at + 1)}`;
        break;
      }
      case 4: {
        const j = Math.floor(rand() * out.length);
        [out[i], out[j]] = [out[j]!, line];
        break;
      }
      case 5:
        try {
          out[i] = JSON.stringify(mutateValue(JSON.parse(line), rand));
        } catch {
          out[i] = `${line}x`;
        }
        break;
      default:
        try {
          const event = JSON.parse(line);
          event.type = TYPES[Math.floor(rand() * TYPES.length)];
          out[i] = JSON.stringify(event);
        } catch {
          out[i] = "garbage";
        }
    }
  }
  return out.filter((l) => l.trim() !== "");
}

function countValid(text: string): number {
  return lines(text).filter((l) => {
    try {
      const v = JSON.parse(l);
      return v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.type === "string";
    } catch {
      return false;
    }
  }).length;
}

describe("randomized mutations of real logs", () => {
  const sources: { name: string; events: string; otel?: string }[] = [];
  skippedWithoutSharedSessions("seeded mutations of the recorded sessions");
  for (const name of sharedSessionNames()) {
    const events = join(SHARED_SESSIONS, name, "events.jsonl");
    const otel = join(SHARED_SESSIONS, name, "copilot-otel.jsonl");
    sources.push({
      name,
      events: readFileSync(events, "utf8"),
      otel: existsSync(otel) ? readFileSync(otel, "utf8") : undefined,
    });
  }
  sources.push({ name: "synthetic", ...syntheticText() });

  for (const source of sources) {
    test(`${source.name}: 40 seeded mutations never throw and keep the line accounting right`, async () => {
      const rand = prng(0xc0ffee ^ source.name.length);
      for (let round = 0; round < 40; round++) {
        const events = mutateLines(lines(source.events), rand).join("\n");
        const otel = source.otel === undefined ? undefined : mutateLines(lines(source.otel), rand).join("\n");
        const a = await analyzeText(events, otel);
        expect(a.n_events).toBe(countValid(events));
        expect(a.n_events + a.n_malformed_lines).toBe(lines(events).length);
        expect(a.turns.length).toBe(a.n_turns);
        expect(a.tools.reduce((s, t) => s + t.calls, 0)).toBe(a.n_tool_calls);
      }
    });
  }
});
