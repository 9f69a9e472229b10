import { FORMAT_VERSION } from "../store/schema.ts";
import type { SessionAnalysis, TrialMetrics } from "../store/session-schema.ts";

/** The flat `metrics.json` of a trial (docs/schemas/metrics.schema.json): counts, economics at top level, git diff numbers. */
export function toTrialMetrics(
  analysis: SessionAnalysis,
  diff: { files: number; added: number; removed: number } | null,
): TrialMetrics {
  return {
    format_version: FORMAT_VERSION,
    session_id: analysis.session_id,
    copilot_version: analysis.copilot_version,
    models: analysis.models,
    duration_s: analysis.duration_s,
    n_events: analysis.n_events,
    n_malformed_lines: analysis.n_malformed_lines,
    n_turns: analysis.n_turns,
    n_user_messages: analysis.n_user_messages,
    n_assistant_messages: analysis.n_assistant_messages,
    n_tool_calls: analysis.n_tool_calls,
    n_tool_failures: analysis.n_tool_failures,
    n_warnings: analysis.n_warnings,
    n_llm_calls: analysis.n_llm_calls,
    tool_calls_by_name: Object.fromEntries(analysis.tools.map((t) => [t.name, t.calls])),
    ...analysis.economics,
    diff_files: diff?.files ?? null,
    diff_lines_added: diff?.added ?? null,
    diff_lines_removed: diff?.removed ?? null,
  };
}
