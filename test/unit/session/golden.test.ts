import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeSession } from "../../../src/session/analysis.ts";
import { toTrialMetrics } from "../../../src/session/metrics.ts";
import { SessionAnalysisSchema, TrialMetricsSchema } from "../../../src/store/session-schema.ts";
import { SHARED_SESSIONS } from "../../helpers/cli.ts";

/**
 * The recorded sessions in ../shared/sessions, read in place: every value of expected.json,
 * then cross-checks that hold for any session (iterating the folder, so new sessions from other
 * models and CLI versions are checked the same way).
 */

const present = existsSync(join(SHARED_SESSIONS, "expected.json"));
if (!present) console.warn(`skipping recorded-session tests: ${SHARED_SESSIONS} is absent`);

const expected: Record<string, Record<string, unknown>> = present
  ? JSON.parse(readFileSync(join(SHARED_SESSIONS, "expected.json"), "utf8"))
  : {};
const sessions = present
  ? readdirSync(SHARED_SESSIONS, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(SHARED_SESSIONS, e.name, "events.jsonl")))
      .map((e) => e.name)
      .sort()
  : [];

async function analyze(name: string) {
  const dir = join(SHARED_SESSIONS, name);
  const otelPath = join(dir, "copilot-otel.jsonl");
  const analysis = await analyzeSession({
    eventsPath: join(dir, "events.jsonl"),
    otelPath: existsSync(otelPath) ? otelPath : undefined,
  });
  return { analysis, metrics: toTrialMetrics(analysis, null) };
}

describe.skipIf(!present)("recorded sessions: expected.json", () => {
  test("every session in expected.json has a folder", () => {
    for (const name of Object.keys(expected)) expect(sessions).toContain(name);
  });

  for (const name of Object.keys(expected)) {
    test(`${name}: every expected value`, async () => {
      const { metrics } = await analyze(name);
      const flat = metrics as unknown as Record<string, unknown>;
      for (const [key, want] of Object.entries(expected[name]!)) {
        if (key === "model") {
          expect(metrics.models, key).toContain(want as string);
        } else if (typeof want === "number" && !Number.isInteger(want)) {
          expect(flat[key] as number, key).toBeCloseTo(want, 6);
        } else {
          expect(flat[key], key).toEqual(want);
        }
      }
    });
  }
});

describe.skipIf(!present)("recorded sessions: cross-checks", () => {
  for (const name of sessions) {
    test(`${name}: artifacts match their schemas and survive JSON`, async () => {
      const { analysis, metrics } = await analyze(name);
      expect(() => SessionAnalysisSchema.parse(analysis)).not.toThrow();
      expect(() => TrialMetricsSchema.parse(metrics)).not.toThrow();
      expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
      expect(analysis.n_malformed_lines).toBe(0);
    });

    test(`${name}: token components sum to the totals`, async () => {
      const e = (await analyze(name)).analysis.economics;
      expect(e.input_tokens_total).not.toBeNull();
      expect(e.input_tokens_noncached! + e.cache_read_tokens! + e.cache_write_tokens!).toBe(
        e.input_tokens_total!,
      );
      expect(e.input_tokens_total! + e.output_tokens!).toBe(e.total_tokens!);
      const models = e.model_metrics;
      expect(models.reduce((s, m) => s + (m.input_tokens ?? 0), 0)).toBe(e.input_tokens_total!);
      expect(models.reduce((s, m) => s + (m.output_tokens ?? 0), 0)).toBe(e.output_tokens!);
    });

    test(`${name}: the AIU split sums to the total`, async () => {
      const e = (await analyze(name)).analysis.economics;
      if (e.aiu === null) {
        expect(e.aiu_by_type).toBeNull();
        return;
      }
      const split = e.aiu_by_type!;
      for (const part of Object.values(split)) expect(part).toBeGreaterThanOrEqual(0);
      expect(split.input + split.cache_read + split.cache_write + split.output).toBeCloseTo(e.aiu, 6);
    });

    test(`${name}: per-call OTel figures add up to the shutdown totals`, async () => {
      const { analysis } = await analyze(name);
      const calls = analysis.llm_calls;
      const e = analysis.economics;
      if (calls.length === 0) return; // no OTel file and no per-request records: nothing to cross-check
      expect(calls.length).toBe(e.n_requests!);
      const sum = (pick: (c: (typeof calls)[number]) => number | null) =>
        calls.reduce((s, c) => s + (pick(c) ?? 0), 0);
      expect(sum((c) => c.input_tokens)).toBe(e.input_tokens_total!);
      expect(sum((c) => c.output_tokens)).toBe(e.output_tokens!);
      expect(sum((c) => c.cache_read_input_tokens)).toBe(e.cache_read_tokens!);
      expect(sum((c) => c.cache_creation_input_tokens)).toBe(e.cache_write_tokens!);
      if (e.aiu !== null && analysis.llm_calls_source === "otel") {
        // GitHub-hosted: every call carries its cost and the calls add up to the shutdown's.
        expect(calls.every((c) => c.aiu !== null)).toBe(true);
        expect(sum((c) => c.aiu).toFixed(4)).toBe(e.aiu.toFixed(4));
      }
    });

    test(`${name}: calls join turns, and counts agree with each other`, async () => {
      const { analysis } = await analyze(name);
      expect(analysis.turns.length).toBe(analysis.n_turns);
      expect(analysis.tools.reduce((s, t) => s + t.calls, 0)).toBe(analysis.n_tool_calls);
      expect(analysis.tools.reduce((s, t) => s + t.failures, 0)).toBe(analysis.n_tool_failures);
      expect(analysis.turns.reduce((s, t) => s + t.n_tool_calls, 0)).toBe(analysis.n_tool_calls);
      expect(Object.values(analysis.event_type_counts).reduce((a, b) => a + b, 0)).toBe(analysis.n_events);
      const turnIds = new Set(analysis.turns.map((t) => t.turn_id));
      for (const call of analysis.llm_calls) expect(turnIds).toContain(call.turn_id);
      if (analysis.turns.every((t) => t.output_tokens !== null)) {
        const turnOutput = analysis.turns.reduce((s, t) => s + (t.output_tokens ?? 0), 0);
        expect(turnOutput).toBe(analysis.output_tokens!);
      }
      if (analysis.llm_calls_source !== "otel") return;
      for (const call of analysis.llm_calls) {
        expect(call.current_tokens).not.toBeNull();
        expect(call.token_limit!).toBeGreaterThan(call.current_tokens!);
      }
      expect(analysis.economics.peak_context_tokens!).toBeGreaterThanOrEqual(
        Math.max(...analysis.llm_calls.map((c) => c.current_tokens ?? 0)),
      );
    });
  }

  test("a tool that fails is a failure; a shell command that exits non-zero is not", async () => {
    if (!sessions.includes("byok-1.0.102-failtool")) return;
    const { analysis } = await analyze("byok-1.0.102-failtool");
    expect(analysis.tools.find((t) => t.name === "view")?.failures).toBe(1);
    expect(analysis.tools.find((t) => t.name === "bash")?.failures).toBe(0);
  });

  test("result size: the text the model got, else the CLI's resultForLlmLength", async () => {
    if (!sessions.includes("byok-1.0.102-failtool")) return;
    const { analysis } = await analyze("byok-1.0.102-failtool");
    // The failed view has no result, only toolTelemetry.metrics.resultForLlmLength 78; the bash
    // result text is 40 characters (read off events.jsonl).
    expect(analysis.tools.find((t) => t.name === "view")?.total_result_chars).toBe(78);
    expect(analysis.tools.find((t) => t.name === "bash")?.total_result_chars).toBe(40);
  });
});
