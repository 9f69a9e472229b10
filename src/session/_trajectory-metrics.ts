import type { LlmCall, SessionAnalysis } from "../store/session-schema.ts";
import type { FinalMetrics, StepMetrics } from "../store/trajectory-schema.ts";

/**
 * A trajectory's token figures, taken from the session's analysis so that trajectory.json,
 * metrics.json and the report agree (docs/adr/0015). A step is the n-th `assistant.turn_start`
 * of the log, which is the analysis's n-th turn: its completion tokens are the turn's output
 * tokens. Its prompt and cached tokens are the sum over its LLM calls: the usage records inside
 * the turn (1.0.102+), or the OTel calls of its turn id when that id names one turn only (a
 * sub-agent may reuse the main agent's turn ids: then they are left out rather than guessed).
 */

const int = (v: number | null | undefined): number | undefined =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;

function sum(calls: readonly LlmCall[], key: keyof LlmCall): number | undefined {
  let total = 0;
  for (const c of calls) {
    const v = c[key];
    if (typeof v !== "number") return undefined;
    total += v;
  }
  return total;
}

export function stepMetricsOf(
  analysis: SessionAnalysis,
  turnIndex: number,
  usage: readonly number[] | undefined,
): { metrics?: StepMetrics; calls?: number; turn?: Record<string, unknown> } {
  const turn = analysis.turns[turnIndex];
  if (!turn) return {};
  const metrics: StepMetrics = {};
  const completion = int(turn.output_tokens);
  if (completion !== undefined) metrics.completion_tokens = completion;
  const mine = callsOf(analysis, turnIndex, usage);
  if (mine && mine.length > 0) {
    const prompt = int(sum(mine, "input_tokens"));
    const cached = int(sum(mine, "cache_read_input_tokens"));
    if (prompt !== undefined) metrics.prompt_tokens = prompt;
    if (cached !== undefined) metrics.cached_tokens = cached;
    const extra: Record<string, unknown> = {};
    const write = sum(mine, "cache_creation_input_tokens");
    if (write !== undefined) extra.cache_write_tokens = write;
    const aiu = sum(mine, "aiu");
    if (aiu !== undefined) extra.aiu = aiu;
    if (Object.keys(extra).length) metrics.extra = extra;
  }
  const about: Record<string, unknown> = { turn: turn.index };
  if (turn.offset_s !== null) about.offset_s = turn.offset_s;
  return {
    metrics: Object.keys(metrics).length ? metrics : undefined,
    calls: mine?.length || undefined,
    turn: about,
  };
}

/**
 * The LLM calls of one turn: the usage records seen inside it when the analysis's calls are
 * those records (one per record, in log order); else the calls of its turn id when that id names
 * this turn only; else unknown.
 */
function callsOf(
  analysis: SessionAnalysis,
  turnIndex: number,
  usage: readonly number[] | undefined,
): LlmCall[] | undefined {
  if (analysis.llm_calls_source === "usage_record") {
    const calls = (usage ?? []).map((i) => analysis.llm_calls[i]);
    return calls.every((c) => c !== undefined) ? (calls as LlmCall[]) : undefined;
  }
  const id = analysis.turns[turnIndex]!.turn_id;
  if (id === null || analysis.turns.filter((t) => t.turn_id === id).length !== 1) return undefined;
  return analysis.llm_calls.filter((c) => c.turn_id === id);
}

/** The session's totals, as metrics.json has them. */
export function finalMetricsOf(analysis: SessionAnalysis | null, steps: number): FinalMetrics {
  if (!analysis) return { total_steps: steps };
  const e = analysis.economics;
  const out: FinalMetrics = { total_steps: steps };
  const prompt = int(e.input_tokens_total);
  const completion = int(e.output_tokens);
  const cached = int(e.cache_read_tokens);
  if (prompt !== undefined) out.total_prompt_tokens = prompt;
  if (completion !== undefined) out.total_completion_tokens = completion;
  if (cached !== undefined) out.total_cached_tokens = cached;
  out.extra = {
    input_tokens_noncached: e.input_tokens_noncached,
    cache_write_tokens: e.cache_write_tokens,
    reasoning_tokens: e.reasoning_tokens,
    total_tokens: e.total_tokens,
    aiu: e.aiu,
    n_requests: e.n_requests,
    api_duration_ms: e.api_duration_ms,
    n_llm_calls: analysis.n_llm_calls,
    llm_calls_source: analysis.llm_calls_source,
  };
  return out;
}
