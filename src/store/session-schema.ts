import { z } from "zod";
import { FormatVersionSchema } from "./schema.ts";

/**
 * `analysis.json` / `analyze --json` and `metrics.json` (docs/schemas/, docs/adr/0002): the single
 * definition. Unknown values are null, never NaN, so every value survives JSON.
 */

const count = z.number().int().nonnegative();
/** A non-negative figure read from the log (tokens, requests, lines), or null when not reported. */
const tokens = z.number().nonnegative().nullable();
const maybe = z.number().nullable();

export const TOKEN_TYPES = ["input", "cache_read", "cache_write", "output"] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export const AiuByTypeSchema = z.object({
  input: z.number(),
  cache_read: z.number(),
  cache_write: z.number(),
  output: z.number(),
});

export const ModelMetricSchema = z.object({
  model: z.string(),
  requests: tokens,
  input_tokens: tokens,
  output_tokens: tokens,
  cache_read_tokens: tokens,
  cache_write_tokens: tokens,
  reasoning_tokens: tokens,
  aiu: maybe,
});

export const EconomicsSchema = z.object({
  input_tokens_noncached: tokens,
  cache_read_tokens: tokens,
  cache_write_tokens: tokens,
  output_tokens: tokens,
  reasoning_tokens: tokens,
  input_tokens_total: tokens,
  total_tokens: tokens,
  /** AI units: null when the log says credits are unavailable or reports no cost. */
  aiu: maybe,
  aiu_by_type: AiuByTypeSchema.nullable(),
  /** Where the per-token-type rates behind `aiu_by_type` came from. */
  aiu_rates_source: z.enum(["live", "default", "mixed"]).nullable(),
  api_duration_ms: maybe,
  n_requests: tokens,
  system_tokens: tokens,
  tool_definitions_tokens: tokens,
  conversation_tokens: tokens,
  context_tokens: tokens,
  peak_context_tokens: tokens,
  n_compactions: count,
  n_truncations: count,
  compaction_aiu: maybe,
  files_modified: tokens,
  lines_added: tokens,
  lines_removed: tokens,
  model_metrics: z.array(ModelMetricSchema),
});

export const ToolStatSchema = z.object({
  name: z.string(),
  calls: count,
  failures: count,
  total_duration_ms: z.number().nonnegative(),
  total_result_chars: count,
});

export const LlmCallSchema = z.object({
  turn_id: z.string().nullable(),
  request_model: z.string().nullable(),
  response_model: z.string().nullable(),
  input_tokens: tokens,
  cache_read_input_tokens: tokens,
  cache_creation_input_tokens: tokens,
  output_tokens: tokens,
  aiu: maybe,
  server_duration_ms: maybe,
  current_tokens: tokens,
  token_limit: tokens,
});

export const TurnSchema = z.object({
  index: count,
  turn_id: z.string().nullable(),
  started_at: z.string().nullable(),
  /** Seconds since the session started. */
  offset_s: maybe,
  duration_s: maybe,
  output_tokens: tokens,
  n_tool_calls: count,
  /** Tool names in call order (capped; `n_tool_calls` has the full count). */
  tools: z.array(z.string()),
  /** The start of the first non-empty assistant message of the turn. */
  preview: z.string(),
});

export const PhaseSchema = z.object({
  phase: z.number().int().min(1),
  first_turn: z.number().int().min(1),
  last_turn: z.number().int().min(1),
  n_turns: count,
  tool_calls: count,
  output_tokens: tokens,
  output_share: maybe,
  duration_s: maybe,
});

export const WarningSchema = z.object({
  /** `session`: written by Copilot (session.warning / session.error); `analysis`: found while parsing. */
  source: z.enum(["session", "analysis"]),
  kind: z.string(),
  message: z.string(),
  timestamp: z.string().nullable(),
});

/** The session's counts: shared, in this order, by analysis.json and metrics.json. */
const SESSION_COUNTS = {
  n_events: count,
  n_malformed_lines: count,
  n_turns: count,
  n_user_messages: count,
  n_assistant_messages: count,
  n_tool_calls: count,
  n_tool_failures: count,
  n_warnings: count,
  n_llm_calls: count,
};

export const SessionAnalysisSchema = z.object({
  format_version: FormatVersionSchema,
  session_id: z.string().nullable(),
  copilot_version: z.string().nullable(),
  models: z.array(z.string()),
  reasoning_effort: z.string().nullable(),
  cwd: z.string().nullable(),
  repository: z.string().nullable(),
  branch: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_s: maybe,
  ...SESSION_COUNTS,
  input_tokens: tokens,
  output_tokens: tokens,
  total_tokens: tokens,
  economics: EconomicsSchema,
  tools: z.array(ToolStatSchema),
  /** `otel`: chat spans; `usage_record`: the session log's per-request records (no OTel file). */
  llm_calls_source: z.enum(["otel", "usage_record"]).nullable(),
  llm_calls: z.array(LlmCallSchema),
  turns: z.array(TurnSchema),
  phases: z.array(PhaseSchema),
  warnings: z.array(WarningSchema),
  event_type_counts: z.record(z.string(), count),
});

/** `metrics.json`: the counts and economics of the analysis, flat, plus the git diff numbers. */
export const TrialMetricsSchema = z.object({
  format_version: FormatVersionSchema,
  session_id: z.string().nullable(),
  /** The Copilot CLI version the session log names (`session.start`); absent in older runs. */
  copilot_version: z.string().nullable().default(null),
  models: z.array(z.string()),
  duration_s: maybe,
  ...SESSION_COUNTS,
  tool_calls_by_name: z.record(z.string(), count),
  ...EconomicsSchema.shape,
  diff_files: count.nullable(),
  diff_lines_added: count.nullable(),
  diff_lines_removed: count.nullable(),
});

export type AiuByType = z.infer<typeof AiuByTypeSchema>;
export type ModelMetric = z.infer<typeof ModelMetricSchema>;
export type Economics = z.infer<typeof EconomicsSchema>;
export type ToolStat = z.infer<typeof ToolStatSchema>;
export type LlmCall = z.infer<typeof LlmCallSchema>;
export type Turn = z.infer<typeof TurnSchema>;
export type Phase = z.infer<typeof PhaseSchema>;
export type SessionWarning = z.infer<typeof WarningSchema>;
export type SessionAnalysis = z.infer<typeof SessionAnalysisSchema>;
export type TrialMetrics = z.infer<typeof TrialMetricsSchema>;
