import { expect, test } from "bun:test";
import {
  EconomicsSchema,
  LlmCallSchema,
  ModelMetricSchema,
  SessionAnalysisSchema,
  ToolStatSchema,
  TrialMetricsSchema,
} from "../../../src/store/session-schema.ts";

/**
 * The key names the results format has always promised (README, "Results layout"; docs/schemas/),
 * verbatim: the schemas must carry every one of them.
 */
const PROMISED = {
  analysis:
    "session_id copilot_version models reasoning_effort cwd started_at finished_at duration_s n_events n_malformed_lines n_turns n_user_messages n_assistant_messages n_tool_calls n_tool_failures n_warnings input_tokens output_tokens total_tokens economics tools llm_calls turns phases warnings event_type_counts",
  economics:
    "input_tokens_noncached cache_read_tokens cache_write_tokens output_tokens reasoning_tokens input_tokens_total total_tokens aiu aiu_by_type api_duration_ms n_requests system_tokens tool_definitions_tokens conversation_tokens context_tokens peak_context_tokens n_compactions n_truncations compaction_aiu files_modified lines_added lines_removed model_metrics",
  model_metrics:
    "model requests input_tokens output_tokens cache_read_tokens cache_write_tokens reasoning_tokens aiu",
  tools: "name calls failures total_duration_ms total_result_chars",
  llm_calls:
    "turn_id request_model response_model input_tokens cache_read_input_tokens cache_creation_input_tokens output_tokens aiu server_duration_ms current_tokens token_limit",
  metrics_extra: "models duration_s diff_files diff_lines_added diff_lines_removed",
};
const keys = (s: string) => s.split(" ");

test("the schemas carry every promised key", () => {
  expect(Object.keys(SessionAnalysisSchema.shape)).toEqual(expect.arrayContaining(keys(PROMISED.analysis)));
  expect(Object.keys(EconomicsSchema.shape)).toEqual(expect.arrayContaining(keys(PROMISED.economics)));
  expect(Object.keys(ModelMetricSchema.shape)).toEqual(expect.arrayContaining(keys(PROMISED.model_metrics)));
  expect(Object.keys(ToolStatSchema.shape)).toEqual(expect.arrayContaining(keys(PROMISED.tools)));
  expect(Object.keys(LlmCallSchema.shape)).toEqual(expect.arrayContaining(keys(PROMISED.llm_calls)));
});

test("metrics.json is flat: the counts, every economics field and the diff numbers at top level", () => {
  const counts = keys(PROMISED.analysis).filter((k) => k.startsWith("n_"));
  const flat = Object.keys(TrialMetricsSchema.shape);
  expect(flat).toEqual(
    expect.arrayContaining([
      ...counts,
      ...keys(PROMISED.economics),
      ...keys(PROMISED.metrics_extra),
      "tool_calls_by_name",
    ]),
  );
  expect(flat).not.toContain("economics");
});
