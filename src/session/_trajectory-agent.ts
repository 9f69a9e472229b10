import type { ObservationResult, Step, ToolCall } from "../store/trajectory-schema.ts";
import { arr, count, isoMs, type Json, num, obj, str, whole } from "./_fields.ts";

/**
 * The steps of one agent (the main agent, or one sub-agent) as its events arrive: one ATIF agent
 * step per `assistant.turn_start` (one model request, its tool calls and their results), user and
 * system steps as they come. Step ids are given at the end. Rules: docs/adr/0015.
 */

/** Longest text kept in one field of trajectory.json; longer text is cut and its length noted. */
export const MAX_CONTENT_CHARS = 100_000;

/** What stands for the middle of a cut text (the report's transcript uses the same mark). */
export const CUT_MARK = "\n[…]\n";

/**
 * A text of at most `max` characters: longer text keeps its head and its tail (where a test
 * run's summary or a stack trace's cause usually is) around CUT_MARK, and notes its length.
 */
export function cap(text: string, max = MAX_CONTENT_CHARS): { text: string; chars?: number } {
  if (text.length <= max) return { text };
  const room = max - CUT_MARK.length;
  const head = Math.ceil(room * 0.7);
  return {
    text: `${text.slice(0, head)}${CUT_MARK}${text.slice(text.length - (room - head))}`,
    chars: text.length,
  };
}

/** A step being built, with what the end needs to know about it. */
export interface PendingStep {
  step: Omit<Step, "step_id">;
  /** Index into the analysis's turns (the n-th `assistant.turn_start` of the whole log). */
  turn?: number;
  /** Indices into the analysis's LLM calls when they are the log's usage records, in order. */
  usage?: number[];
  startMs?: number;
}

const SHELL_EXIT = /<shellId: [^>]*completed with exit code (\d+)>/;

/** The exit code of a shell tool call: reported as such (1.0.102+), in telemetry, or in the result text. */
export function exitCodeOf(data: Json, content: string | undefined): number | undefined {
  const reported = whole(obj(data.shellExecution)?.exitCode);
  if (reported !== undefined) return reported;
  const telemetry = num(obj(obj(data.toolTelemetry)?.metrics)?.exit_code);
  if (telemetry !== undefined && Number.isInteger(telemetry)) return telemetry;
  const m = content ? SHELL_EXIT.exec(content) : null;
  return m ? Number(m[1]) : undefined;
}

/** Tool arguments as an ATIF object: free text becomes `{ input }`; long strings are cut. */
function argumentsOf(value: unknown): { args: Record<string, unknown>; extra?: Record<string, unknown> } {
  if (typeof value === "string") {
    const c = cap(value);
    return {
      args: { input: c.text },
      extra: { arguments_format: "text", ...(c.chars ? { arguments_chars: c.chars } : {}) },
    };
  }
  const o = obj(value) ?? {};
  let cut = false;
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === "string" && v.length > MAX_CONTENT_CHARS) {
      args[k] = cap(v).text;
      cut = true;
    } else args[k] = v;
  }
  return { args, extra: cut ? { arguments_cut: true } : undefined };
}

export class AgentTrack {
  readonly steps: PendingStep[] = [];
  private current: PendingStep | null = null;
  /** Tool call id → the step that holds the call, and when it started. */
  private readonly calls = new Map<string, { step: PendingStep; startMs?: number }>();
  model: string | undefined;

  constructor(model?: string) {
    this.model = model;
  }

  /** A user or system step (closes the open turn). */
  push(step: Omit<Step, "step_id">, at: string | undefined): PendingStep {
    this.endTurn(undefined);
    const pending: PendingStep = { step: at ? { timestamp: at, ...step } : step, startMs: isoMs(at) };
    this.steps.push(pending);
    return pending;
  }

  /** A system step: a model change, an error, a compaction, … (`extra.event` says which). */
  system(
    at: string | undefined,
    message: string,
    extra: Record<string, unknown>,
    results?: ObservationResult[],
  ): void {
    this.push({ source: "system", message, ...(results ? { observation: { results } } : {}), extra }, at);
  }

  startTurn(data: Json, at: string | undefined, turn: number): void {
    this.endTurn(undefined);
    const extra: Record<string, unknown> = {};
    const turnId = str(data.turnId);
    if (turnId !== undefined) extra.turn_id = turnId;
    const interaction = str(data.interactionId);
    if (interaction !== undefined) extra.interaction_id = interaction;
    this.current = { step: { source: "agent", message: "", extra }, turn, startMs: isoMs(at) };
    if (at) this.current.step.timestamp = at;
    this.steps.push(this.current);
  }

  endTurn(at: string | undefined): void {
    const c = this.current;
    const end = isoMs(at);
    if (c && end !== undefined && c.startMs !== undefined && end >= c.startMs)
      c.step.extra = { ...c.step.extra, duration_s: (end - c.startMs) / 1000 };
    this.current = null;
  }

  /** The open agent step, or a new one when an agent event arrives outside a turn. */
  private open(at: string | undefined): PendingStep {
    if (this.current) return this.current;
    this.current = { step: { source: "agent", message: "" }, startMs: isoMs(at) };
    if (at) this.current.step.timestamp = at;
    this.steps.push(this.current);
    return this.current;
  }

  message(data: Json, at: string | undefined): void {
    const s = this.open(at);
    const model = str(data.model) ?? this.model;
    if (model) s.step.model_name = model;
    const content = str(data.content) ?? "";
    if (content) this.appendText(s, "message", content);
    const reasoning = str(data.reasoningText);
    if (reasoning) this.appendText(s, "reasoning_content", reasoning);
    for (const item of arr(data.toolRequests) ?? []) {
      const r = obj(item);
      const id = str(r?.toolCallId);
      const name = str(r?.name);
      if (!r || id === undefined || name === undefined || this.calls.has(id)) continue;
      this.addCall(s, id, name, r.arguments, str(r.intentionSummary));
    }
  }

  /** The n-th `session.usage_record` of the log: a model request of the open turn. */
  usage(n: number, at: string | undefined): void {
    const step = this.open(at);
    step.usage = [...(step.usage ?? []), n];
  }

  reasoning(data: Json, at: string | undefined): void {
    const content = str(data.content);
    if (content) this.appendText(this.open(at), "reasoning_content", content);
  }

  toolStart(data: Json, at: string | undefined): void {
    const id = str(data.toolCallId);
    if (id === undefined) return;
    const known = this.calls.get(id);
    if (known) {
      known.startMs ??= isoMs(at);
      return;
    }
    this.addCall(this.open(at), id, str(data.toolName) ?? "unknown", data.arguments, undefined);
    this.calls.get(id)!.startMs = isoMs(at);
  }

  toolComplete(data: Json, at: string | undefined): string | undefined {
    const id = str(data.toolCallId);
    if (id === undefined) return undefined;
    let known = this.calls.get(id);
    if (!known) {
      this.addCall(this.open(at), id, str(data.toolName) ?? "unknown", undefined, undefined);
      known = this.calls.get(id)!;
    }
    const error = obj(data.error);
    const content = str(obj(data.result)?.content) ?? str(error?.message);
    const extra: Record<string, unknown> = { success: data.success !== false };
    const exit = exitCodeOf(data, content);
    if (exit !== undefined) extra.exit_code = exit;
    const measured = count(obj(obj(data.toolTelemetry)?.metrics)?.durationMs);
    const end = isoMs(at);
    const duration =
      measured ??
      (known.startMs !== undefined && end !== undefined && end >= known.startMs
        ? end - known.startMs
        : undefined);
    if (duration !== undefined) extra.duration_ms = duration;
    if (error) {
      extra.error = str(error.message) ?? "";
      if (str(error.code)) extra.error_code = str(error.code);
    }
    if (at) extra.completed_at = at;
    const result: ObservationResult = { source_call_id: id };
    if (content !== undefined) {
      const c = cap(content);
      result.content = c.text;
      if (c.chars) extra.content_chars = c.chars;
    }
    result.extra = extra;
    const step = known.step.step;
    step.observation = { results: [...(step.observation?.results ?? []), result] };
    return id;
  }

  private addCall(s: PendingStep, id: string, name: string, args: unknown, intention?: string): void {
    const { args: a, extra } = argumentsOf(args);
    const call: ToolCall = { tool_call_id: id, function_name: name, arguments: a };
    const more = { ...(extra ?? {}), ...(intention ? { intention } : {}) };
    if (Object.keys(more).length) call.extra = more;
    s.step.tool_calls = [...(s.step.tool_calls ?? []), call];
    this.calls.set(id, { step: s });
  }

  private appendText(s: PendingStep, field: "message" | "reasoning_content", text: string): void {
    const before = s.step[field] ?? "";
    const joined = before ? `${before}\n\n${text}` : text;
    const c = cap(joined);
    s.step[field] = c.text;
    if (c.chars) s.step.extra = { ...s.step.extra, [`${field}_chars`]: c.chars };
  }

  /** The step holding a tool call, for linking a sub-agent's trajectory to the call that spawned it. */
  stepOfCall(id: string): PendingStep | undefined {
    return this.calls.get(id)?.step;
  }
}
