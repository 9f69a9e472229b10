import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeSession } from "../../../src/session/analysis.ts";
import { defaultRates } from "../../../src/session/rates.ts";
import { SessionAnalysisSchema } from "../../../src/store/session-schema.ts";
import { PROJECT_ROOT } from "../../helpers/cli.ts";
import { tempDir } from "../../helpers/tmp.ts";

/**
 * Issue 21: partial and older event shapes, one small hand-written session each
 * (test/fixtures/sessions, described in its README). Expected figures are worked out by hand
 * from the fixture lines; variants of a fixture change one event and say which.
 */

const FIXTURES = join(PROJECT_ROOT, "test/fixtures/sessions");
type Event = { type: string; data: Record<string, unknown>; timestamp?: string };

async function analyzeFixture(name: string) {
  const dir = join(FIXTURES, name);
  const otelPath = join(dir, "copilot-otel.jsonl");
  const analysis = await analyzeSession({
    eventsPath: join(dir, "events.jsonl"),
    otelPath: existsSync(otelPath) ? otelPath : undefined,
  });
  expect(() => SessionAnalysisSchema.parse(analysis)).not.toThrow();
  return analysis;
}

/** The fixture's events.jsonl with `edit` applied to its events, analyzed from a temporary copy. */
async function analyzeVariant(name: string, edit: (events: Event[]) => Event[]) {
  const lines = readFileSync(join(FIXTURES, name, "events.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean);
  const path = join(tempDir(), "events.jsonl");
  writeFileSync(
    path,
    edit(lines.map((l) => JSON.parse(l) as Event))
      .map((e) => JSON.stringify(e))
      .join("\n"),
  );
  return analyzeSession({ eventsPath: path });
}

const ofType = (events: Event[], type: string) => events.find((e) => e.type === type)!;

describe("1. live rates apply when the shutdown names no model", () => {
  // Tokens 1000 input, 10000 cache read, 1000 cache write, 500 output; 5 AIU in total.
  // Live rates (costPerBatch / batchSize): 1,000,000 / 100,000 / 1,000,000 / 4,000,000 nano-AIU,
  // so the weights are 1e9 : 1e9 : 1e9 : 2e9 and the split is 1 : 1 : 1 : 2 AIU.
  test("a one-model session: its live rates split the shutdown's tokens", async () => {
    const e = (await analyzeFixture("live-rates-no-model-metrics")).economics;
    expect(e.model_metrics).toEqual([]);
    expect(e.aiu).toBe(5);
    expect(e.aiu_rates_source).toBe("live");
    expect(e.aiu_by_type).toEqual({ input: 1, cache_read: 1, cache_write: 1, output: 2 });
  });

  test("the shutdown's currentModel names the model when the log names several", async () => {
    const withSecondModel = (events: Event[]) => [
      ...events.slice(0, 2),
      { type: "session.model_change", data: { newModel: "gpt-5.5" }, timestamp: "2026-03-02T10:00:00.150Z" },
      ...events.slice(2),
    ];
    const named = await analyzeVariant("live-rates-no-model-metrics", (events) => {
      const out = withSecondModel(events);
      ofType(out, "session.shutdown").data.currentModel = "claude-opus-4.8";
      return out;
    });
    expect(named.models).toEqual(["claude-opus-4.8", "gpt-5.5"]);
    expect(named.economics.aiu_rates_source).toBe("live");
    expect(named.economics.aiu_by_type).toEqual({ input: 1, cache_read: 1, cache_write: 1, output: 2 });

    // Several models and no currentModel: the tokens cannot be attributed; the rates that name
    // no model (here none live, so the documented defaults) split them.
    const unnamed = (await analyzeVariant("live-rates-no-model-metrics", withSecondModel)).economics;
    expect(unnamed.aiu_rates_source).toBe("default");
    const r = defaultRates(undefined);
    const w = [1000 * r.input, 10000 * r.cache_read, 1000 * r.cache_write, 500 * r.output];
    const sum = w.reduce((a, b) => a + b, 0);
    expect(unnamed.aiu_by_type!.output).toBeCloseTo((5 * w[3]!) / sum, 9);
  });

  test("live rates of another model (a compaction model) are not the session's", async () => {
    const e = (
      await analyzeVariant("live-rates-no-model-metrics", (events) => {
        const used = ofType(events, "session.compaction_complete").data.compactionTokensUsed as {
          model: string;
        };
        used.model = "gpt-4.1-mini";
        return events;
      })
    ).economics;
    expect(e.aiu_rates_source).toBe("default");
  });
});

describe("2. peak context from session.compaction_start without currentTokens", () => {
  test("the sum of its three parts counts: 9000 + 100000 + 10000 beats the 100000 pre-compaction", async () => {
    const e = (await analyzeFixture("compaction-start-parts")).economics;
    expect(e.peak_context_tokens).toBe(119_000);
    expect(e.context_tokens).toBe(27_000);
  });

  test("a killed session whose only figure is the three parts: 4000 + 2500 + 3000", async () => {
    expect((await analyzeFixture("compaction-start-parts-only")).economics.peak_context_tokens).toBe(9500);
  });

  test("currentTokens wins when present; a partial sum is no measurement", async () => {
    const withCurrent = await analyzeVariant("compaction-start-parts-only", (events) => {
      ofType(events, "session.compaction_start").data.currentTokens = 9600;
      return events;
    });
    expect(withCurrent.economics.peak_context_tokens).toBe(9600);
    const partial = await analyzeVariant("compaction-start-parts-only", (events) => {
      delete ofType(events, "session.compaction_start").data.toolDefinitionsTokens;
      return events;
    });
    expect(partial.economics.peak_context_tokens).toBeNull();
  });
});

describe("3. tool duration: the CLI's own measurement wins over event timestamps", () => {
  test("view: durationMs 120 although its events are 200 ms apart; bash: no telemetry, 300 ms apart", async () => {
    const tools = (await analyzeFixture("tool-telemetry-duration")).tools;
    expect(tools.find((t) => t.name === "view")?.total_duration_ms).toBe(120);
    expect(tools.find((t) => t.name === "bash")?.total_duration_ms).toBe(300);
  });

  test("a measured call counts even without a start event", async () => {
    const a = await analyzeVariant("tool-telemetry-duration", (events) =>
      events.filter((e) => !(e.type === "tool.execution_start" && e.data.toolCallId === "call_view")),
    );
    expect(a.tools.find((t) => t.name === "view")?.total_duration_ms).toBe(120);
  });
});

describe("4. tool result size: resultForLlmLength when there is no result text", () => {
  test("failed view: 78 from telemetry; edit: its 39-character text wins over 35; bash: neither, 0", async () => {
    const a = await analyzeFixture("tool-telemetry-result-length");
    const chars = Object.fromEntries(a.tools.map((t) => [t.name, t.total_result_chars]));
    expect(chars).toEqual({ view: 78, edit: 39, bash: 0 });
    expect(a.n_tool_failures).toBe(1);
  });
});

describe("5. an OTel usage event on the chat span needs no time", () => {
  test("the call gets its own event's context size; a timeless event elsewhere joins no call", async () => {
    const a = await analyzeFixture("otel-usage-event-no-time");
    expect(a.llm_calls_source).toBe("otel");
    expect(a.llm_calls.map((c) => [c.turn_id, c.current_tokens, c.token_limit])).toEqual([
      ["0", 15_200, 200_000],
      ["1", null, null],
    ]);
    // Every usage event is a measurement of the context size, with or without a time.
    expect(a.economics.peak_context_tokens).toBe(15_400);
  });
});

describe("6. OTel ids written as numbers", () => {
  test("turn_id 0 (plain attribute) and 1 (OTLP intValue) become '0' and '1' and join their turns", async () => {
    const a = await analyzeFixture("otel-numeric-ids");
    expect(a.llm_calls.map((c) => c.turn_id)).toEqual(["0", "1"]);
    // The turns' output tokens come only from the joined calls (the messages carry none).
    expect(a.turns.map((t) => [t.turn_id, t.output_tokens])).toEqual([
      ["0", 20],
      ["1", 15],
    ]);
  });
});
