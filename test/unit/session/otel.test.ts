import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readOtelCalls } from "../../../src/session/otel.ts";
import { tempDir } from "../../helpers/tmp.ts";

const SID = "sess-1";
const hr = (ms: number) => [Math.floor(ms / 1000), (ms % 1000) * 1e6];
const usageEvent = (ms: number, current: number) => ({
  name: "github.copilot.session.usage_info",
  time: hr(ms),
  attributes: { "github.copilot.current_tokens": current, "github.copilot.token_limit": 1000 },
});
const chat = (startMs: number, endMs: number, attrs: object, events: object[] = []) => ({
  type: "span",
  name: "chat m",
  startTime: hr(startMs),
  endTime: hr(endMs),
  attributes: { "gen_ai.operation.name": "chat", "gen_ai.conversation.id": SID, ...attrs },
  events,
});

async function callsOf(spans: object[], sessionId: string | null = SID) {
  const path = join(tempDir(), "otel.jsonl");
  writeFileSync(path, spans.map((s) => JSON.stringify(s)).join("\n"));
  const otel = await readOtelCalls(path, sessionId);
  return { calls: otel.calls.toLlmCalls(otel.order), peak_context_tokens: otel.peak_context_tokens };
}

describe("OTel LLM calls", () => {
  test("calls are read from chat spans, ordered by start, with dotted cache keys", async () => {
    const { calls } = await callsOf([
      chat(2000, 2500, {
        "github.copilot.turn_id": "1",
        "gen_ai.usage.input_tokens": 300,
        "gen_ai.usage.cache_read.input_tokens": 200,
        "gen_ai.usage.cache_creation.input_tokens": 50,
        "gen_ai.usage.output_tokens": 9,
        "github.copilot.nano_aiu": 1_500_000_000,
        "github.copilot.server_duration": 480,
        "gen_ai.request.model": "m",
        "gen_ai.response.model": "m-2026",
      }),
      chat(1000, 1500, { "github.copilot.turn_id": "0", "gen_ai.usage.input_tokens": 100 }),
      { type: "metric", name: "gen_ai.client.token.usage" },
      { type: "span", name: "execute_tool view", attributes: { "gen_ai.operation.name": "execute_tool" } },
    ]);
    expect(calls.map((c) => c.turn_id)).toEqual(["0", "1"]);
    const [first, second] = calls;
    expect(first!.cache_read_input_tokens).toBe(0);
    expect(first!.aiu).toBeNull();
    expect(second).toMatchObject({
      input_tokens: 300,
      cache_read_input_tokens: 200,
      cache_creation_input_tokens: 50,
      output_tokens: 9,
      aiu: 1.5,
      server_duration_ms: 480,
      request_model: "m",
      response_model: "m-2026",
    });
  });

  test("context size: a chat span's own usage event wins; others are joined by time", async () => {
    const agent = {
      type: "span",
      name: "invoke_agent",
      startTime: hr(0),
      endTime: hr(9000),
      attributes: { "gen_ai.operation.name": "invoke_agent" },
      // Before call 1; before call 2 (after call 1 ended); inside call 3; before call 4, which has its own.
      events: [
        usageEvent(900, 100),
        usageEvent(1800, 200),
        usageEvent(1900, 210),
        usageEvent(3100, 300),
        usageEvent(3900, 390),
      ],
    };
    const { calls, peak_context_tokens } = await callsOf([
      chat(1000, 1500, {}),
      chat(2000, 2500, {}),
      chat(3000, 3500, {}),
      chat(4000, 4500, {}, [usageEvent(4100, 450)]),
      chat(5000, 5500, {}),
      agent,
    ]);
    expect(calls.map((c) => c.current_tokens)).toEqual([100, 210, 300, 450, null]);
    expect(calls.every((c, i) => (i < 4 ? c.token_limit === 1000 : c.token_limit === null))).toBe(true);
    expect(peak_context_tokens).toBe(450);
  });

  test("spans of another session in a shared file are left out", async () => {
    const other = {
      ...chat(1000, 1100, {}),
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.conversation.id": "x" },
    };
    const byResource = { ...chat(1200, 1300, {}), resource: { attributes: { "copilot.session_id": "x" } } };
    expect((await callsOf([chat(900, 950, {}), other, byResource])).calls).toHaveLength(1);
    expect((await callsOf([chat(900, 950, {}), other, byResource], null)).calls).toHaveLength(3);
  });

  test("OTLP-style attribute lists are read too", async () => {
    const span = {
      type: "span",
      name: "chat m",
      startTimeUnixNano: 1000,
      attributes: [
        { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
        { key: "gen_ai.usage.input_tokens", value: { intValue: "1234" } },
        { key: "github.copilot.turn_id", value: { stringValue: "3" } },
      ],
    };
    const { calls } = await callsOf([span], null);
    expect(calls[0]).toMatchObject({ turn_id: "3", input_tokens: 1234 });
  });
});
