import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeSession } from "../../../src/session/analysis.ts";
import { defaultRates } from "../../../src/session/rates.ts";
import type { Economics } from "../../../src/store/session-schema.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** Economics from hand-built events: each test states the log and the figures it must give. */

async function economicsOf(
  ...events: { type: string; data: object }[]
): Promise<Economics & { warnings: string[] }> {
  const path = join(tempDir(), "events.jsonl");
  writeFileSync(
    path,
    events.map((e, i) => JSON.stringify({ ...e, timestamp: `2026-01-01T00:00:${10 + i}.000Z` })).join("\n"),
  );
  const a = await analyzeSession({ eventsPath: path });
  return { ...a.economics, warnings: a.warnings.map((w) => w.kind) };
}

const usage = (input: number, output: number, read = 0, write = 0) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: read,
  cacheWriteTokens: write,
});

const shutdown65 = {
  type: "session.shutdown",
  data: {
    totalNanoAiu: 2_000_000_000,
    tokenDetails: { input: { tokenCount: 100 }, cache_read: { tokenCount: 900 }, output: { tokenCount: 50 } },
    totalApiDurationMs: 1200,
    modelMetrics: {
      "claude-x": {
        requests: { count: 2 },
        usage: { ...usage(1000, 50, 900), reasoningTokens: 7 },
        totalNanoAiu: 2e9,
      },
    },
    currentTokens: 5000,
    systemTokens: 1000,
    toolDefinitionsTokens: 3000,
    conversationTokens: 1000,
    codeChanges: { linesAdded: 3, linesRemoved: 1, filesModified: ["a", "b"] },
  },
};

const shutdown102 = (credits: "unavailable" | null, input = 1000, read = 300, write = 200) => ({
  type: "session.shutdown",
  data: {
    ...(credits ? { accountingSnapshot: { aiCreditsStatus: credits } } : {}),
    totalNanoAiu: credits ? 0 : 1_000_000_000,
    totalApiDurationMs: 10,
    modelMetrics: {
      "gpt-x": { requests: { count: 1 }, usage: usage(input, 10, read, write), totalNanoAiu: 0 },
    },
    codeChanges: { linesAdded: 0, linesRemoved: 0, filesModified: [] },
  },
});

describe("token types", () => {
  test("1.0.65: from tokenDetails; an absent type is zero", async () => {
    const e = await economicsOf(shutdown65);
    expect([e.input_tokens_noncached, e.cache_read_tokens, e.cache_write_tokens, e.output_tokens]).toEqual([
      100, 900, 0, 50,
    ]);
    expect(e.input_tokens_total).toBe(1000);
    expect(e.total_tokens).toBe(1050);
    expect(e.reasoning_tokens).toBe(7);
    expect(e.n_requests).toBe(2);
    expect(e.api_duration_ms).toBe(1200);
    expect([e.system_tokens, e.tool_definitions_tokens, e.conversation_tokens, e.context_tokens]).toEqual([
      1000, 3000, 1000, 5000,
    ]);
    expect([e.files_modified, e.lines_added, e.lines_removed]).toEqual([2, 3, 1]);
  });

  test("1.0.102: from modelMetrics usage, whose input includes cache reads and writes", async () => {
    const e = await economicsOf(shutdown102(null));
    expect([e.input_tokens_noncached, e.cache_read_tokens, e.cache_write_tokens]).toEqual([500, 300, 200]);
    expect(e.input_tokens_total).toBe(1000);
    expect(e.reasoning_tokens).toBeNull();
  });

  test("reasoning tokens missing from the shutdown come from the usage records", async () => {
    const record = {
      type: "session.usage_record",
      data: { usage: { model: "gpt-x", ...usage(1000, 10, 300, 200), reasoningTokens: 4 } },
    };
    const e = await economicsOf(record, shutdown102(null));
    expect(e.reasoning_tokens).toBe(4);
    expect(e.input_tokens_total).toBe(1000);
  });
});

describe("cost", () => {
  test("credits unavailable: AIU is null, not 0, and so is its split", async () => {
    const e = await economicsOf(shutdown102("unavailable"));
    expect(e.aiu).toBeNull();
    expect(e.aiu_by_type).toBeNull();
    expect(e.model_metrics[0]!.aiu).toBeNull();
  });

  test("no cost reported at all: null; a reported zero stays zero", async () => {
    const none = structuredClone(shutdown102(null));
    delete (none.data as { totalNanoAiu?: number }).totalNanoAiu;
    delete (none.data.modelMetrics["gpt-x"] as { totalNanoAiu?: number }).totalNanoAiu;
    expect((await economicsOf(none)).aiu).toBeNull();
    const zero = structuredClone(shutdown102(null));
    zero.data.totalNanoAiu = 0;
    const e = await economicsOf(zero);
    expect(e.aiu).toBe(0);
    expect(e.aiu_by_type).toEqual({ input: 0, cache_read: 0, cache_write: 0, output: 0 });
  });

  test("the split uses the documented default rates, scaled to the reported total", async () => {
    const e = await economicsOf(shutdown65);
    const r = defaultRates("claude-x");
    const w = { input: 100 * r.input, cache_read: 900 * r.cache_read, output: 50 * r.output };
    const sum = w.input + w.cache_read + w.output;
    expect(e.aiu).toBe(2);
    expect(e.aiu_rates_source).toBe("default");
    expect(e.aiu_by_type!.input).toBeCloseTo((2 * w.input) / sum, 9);
    expect(e.aiu_by_type!.cache_read).toBeCloseTo((2 * w.cache_read) / sum, 9);
    expect(e.aiu_by_type!.output).toBeCloseTo((2 * w.output) / sum, 9);
    expect(e.aiu_by_type!.cache_write).toBe(0);
  });

  test("live rates from session.compaction_complete replace the defaults", async () => {
    const compaction = {
      type: "session.compaction_complete",
      data: {
        success: true,
        compactionTokensUsed: {
          model: "claude-x",
          copilotUsage: {
            totalNanoAiu: 250_000_000,
            tokenDetails: [
              { tokenType: "input", batchSize: 1000, costPerBatch: 1000, tokenCount: 1 },
              { tokenType: "cache_read", batchSize: 1000, costPerBatch: 1000, tokenCount: 1 },
              { tokenType: "cache_write", batchSize: 1000, costPerBatch: 1000, tokenCount: 0 },
              { tokenType: "output", batchSize: 1000, costPerBatch: 1000, tokenCount: 1 },
            ],
          },
        },
        preCompactionTokens: 90_000,
      },
    };
    const e = await economicsOf(compaction, shutdown65);
    expect(e.aiu_rates_source).toBe("live");
    // Equal live rates for every type: the split follows the token counts (100 : 900 : 0 : 50).
    expect(e.aiu_by_type!.input).toBeCloseTo((2 * 100) / 1050, 9);
    expect(e.aiu_by_type!.cache_read).toBeCloseTo((2 * 900) / 1050, 9);
    expect(e.aiu_by_type!.output).toBeCloseTo((2 * 50) / 1050, 9);
    expect(e.n_compactions).toBe(1);
    expect(e.compaction_aiu).toBe(0.25);
    expect(e.peak_context_tokens).toBe(90_000);
  });

  test("models are split by their own rates and their own AIU; the parts sum to the total", async () => {
    const two = structuredClone(shutdown65);
    two.data.totalNanoAiu = 5e9;
    (two.data as { tokenDetails?: unknown }).tokenDetails = undefined;
    (two.data as { modelMetrics: object }).modelMetrics = {
      "claude-x": {
        requests: { count: 1 },
        usage: { ...usage(1000, 100), reasoningTokens: 0 },
        totalNanoAiu: 2e9,
      },
      "gpt-y": {
        requests: { count: 1 },
        usage: { ...usage(1000, 100), reasoningTokens: 0 },
        totalNanoAiu: 3e9,
      },
    };
    const e = await economicsOf(two);
    const split = e.aiu_by_type!;
    expect(split.input + split.cache_read + split.cache_write + split.output).toBeCloseTo(5, 9);
    const claude = defaultRates("claude-x");
    const gpt = defaultRates("gpt-y");
    const outShare = (r: typeof claude) => (100 * r.output) / (100 * r.output + 1000 * r.input);
    expect(split.output).toBeCloseTo(2 * outShare(claude) + 3 * outShare(gpt), 9);
    expect(e.model_metrics.map((m) => [m.model, m.aiu])).toEqual([
      ["claude-x", 2],
      ["gpt-y", 3],
    ]);
  });
});

describe("session events", () => {
  test("compactions, failed compactions and truncations are counted", async () => {
    const e = await economicsOf(
      { type: "session.compaction_complete", data: { success: true } },
      { type: "session.compaction_complete", data: { success: false, error: "boom" } },
      {
        type: "session.truncation",
        data: { preTruncationTokensInMessages: 120_000, tokensRemovedDuringTruncation: 9 },
      },
      { type: "session.truncation", data: {} },
      shutdown65,
    );
    expect(e.n_compactions).toBe(1);
    expect(e.n_truncations).toBe(2);
    expect(e.compaction_aiu).toBeNull();
    expect(e.peak_context_tokens).toBe(120_000);
    expect(e.warnings).toContain("compaction_failed");
  });

  test("without a shutdown, per-request usage records give the totals", async () => {
    const record = (input: number, output: number, read: number) => ({
      type: "session.usage_record",
      data: {
        usage: {
          model: "m",
          ...usage(input, output, read),
          duration: 100,
          copilotUsage: { totalNanoAiu: 5e8 },
        },
      },
    });
    const e = await economicsOf(record(1000, 10, 0), record(1100, 20, 1000));
    expect(e.input_tokens_total).toBe(2100);
    expect(e.cache_read_tokens).toBe(1000);
    expect(e.input_tokens_noncached).toBe(1100);
    expect(e.output_tokens).toBe(30);
    expect(e.n_requests).toBe(2);
    expect(e.api_duration_ms).toBe(200);
    expect(e.aiu).toBe(1);
    expect(e.warnings).toContain("no_shutdown");
  });
});
