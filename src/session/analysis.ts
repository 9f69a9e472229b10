import { FORMAT_VERSION } from "../store/schema.ts";
import type { LlmCall, SessionAnalysis, SessionWarning } from "../store/session-schema.ts";
import { isoMs } from "./_fields.ts";
import { EventCollector } from "./events.ts";
import { type OtelCalls, readOtelCalls } from "./otel.ts";
import { computePhases } from "./phases.ts";
import { readJsonl } from "./reader.ts";

/**
 * Session analysis (docs/adr/0002-session-economics.md): one streaming pass over `events.jsonl`, one over the OTel file,
 * then plain data. Bad content never throws; an unreadable events file does.
 */

export async function analyzeSession(opts: {
  eventsPath: string;
  otelPath?: string;
}): Promise<SessionAnalysis> {
  const events = new EventCollector();
  const stats = await readJsonl(opts.eventsPath, (event) => events.add(event));
  const notes: Omit<SessionWarning, "source" | "timestamp">[] = [];
  let otel: OtelCalls | undefined;
  if (opts.otelPath !== undefined) {
    if (await Bun.file(opts.otelPath).exists()) otel = await readOtelCalls(opts.otelPath, events.sessionId);
    else notes.push({ kind: "otel_missing", message: `no OTel file at ${opts.otelPath}` });
  }
  return buildAnalysis(events, stats, otel, notes);
}

function buildAnalysis(
  events: EventCollector,
  stats: { lines: number; malformed: number },
  otel: OtelCalls | undefined,
  notes: Omit<SessionWarning, "source" | "timestamp">[],
): SessionAnalysis {
  let llmCalls: LlmCall[] = [];
  let llmSource: SessionAnalysis["llm_calls_source"] = null;
  if (otel && otel.calls.length > 0) {
    llmSource = "otel";
    events.turns.joinCalls(otel.calls);
    llmCalls = otel.calls.toLlmCalls(otel.order);
  } else if (events.usageCalls.length > 0) {
    llmSource = "usage_record";
    llmCalls = events.usageCalls.toLlmCalls();
  }
  events.economics.sampleContext(otel?.peak_context_tokens);
  const { economics, warnings: economicsNotes } = events.economics.finish(
    llmSource === "otel" ? llmCalls : [],
    events.models,
  );
  const { tools, unfinished } = events.tools.finish();

  if (stats.malformed > 0) {
    notes.push({
      kind: "malformed_lines",
      message: `${stats.malformed} malformed lines skipped in the session log`,
    });
  }
  if (otel && otel.malformed > 0) {
    notes.push({
      kind: "malformed_lines",
      message: `${otel.malformed} malformed lines skipped in the OTel file`,
    });
  }
  if (unfinished > 0) {
    notes.push({ kind: "unfinished_tools", message: `${unfinished} tool calls never completed` });
  }
  if (events.nEvents > 0 && events.sessionId === null) {
    notes.push({ kind: "no_start", message: "no session.start event" });
  }
  notes.push(...economicsNotes);

  const startedAt = events.startTime ?? events.firstAt;
  const startMs = isoMs(startedAt);
  const endMs = isoMs(events.lastAt);
  const turns = events.turns.finish(startMs);
  const counts = [...events.typeCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  return {
    format_version: FORMAT_VERSION,
    session_id: events.sessionId,
    copilot_version: events.copilotVersion,
    models: events.models,
    reasoning_effort: events.reasoningEffort,
    cwd: events.cwd,
    repository: events.repository,
    branch: events.branch,
    started_at: startedAt,
    finished_at: events.lastAt,
    duration_s:
      startMs !== undefined && endMs !== undefined && endMs >= startMs ? (endMs - startMs) / 1000 : null,
    n_events: events.nEvents,
    n_malformed_lines: stats.malformed,
    n_turns: turns.length,
    n_user_messages: events.nUserMessages,
    n_assistant_messages: events.nAssistantMessages,
    n_tool_calls: events.tools.calls,
    n_tool_failures: events.tools.failures,
    n_warnings: events.nSessionWarnings,
    n_llm_calls: llmCalls.length,
    input_tokens: economics.input_tokens_total,
    output_tokens: economics.output_tokens,
    total_tokens: economics.total_tokens,
    economics,
    tools,
    llm_calls_source: llmSource,
    llm_calls: llmCalls,
    turns,
    phases: computePhases(turns),
    warnings: [
      ...events.warnings,
      ...notes.map((n) => ({ ...n, source: "analysis" as const, timestamp: null })),
    ],
    event_type_counts: Object.fromEntries(counts),
  };
}
