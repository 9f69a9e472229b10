import { arr, count, hrMs, Interner, type Json, num, obj, str } from "./_fields.ts";
import { readJsonl } from "./reader.ts";
import type { LlmCall } from "./schema.ts";

/**
 * LLM calls from the OTel file exporter's `chat <model>` spans (one span per line). The context
 * size of a call comes from `github.copilot.session.usage_info` span events: on the chat span
 * itself (1.0.65 era) or on the `invoke_agent` span (1.0.102), where they are joined to calls
 * by time: an event belongs to the first call that ends after it.
 */

export interface TimedCall extends LlmCall {
  interaction_id: string | null;
  start_ms: number | null;
}

export interface OtelCalls {
  calls: TimedCall[];
  /** Largest `current_tokens` seen in any usage event. */
  peak_context_tokens: number | undefined;
  lines: number;
  malformed: number;
}

interface UsageSample {
  time: number;
  current: number | undefined;
  limit: number | undefined;
}

/** The exporter writes plain objects; OTLP JSON writes `[{ key, value: { intValue } }]`. Accept both. */
function attributesOf(value: unknown): Json {
  const list = arr(value);
  if (!list) return obj(value) ?? {};
  const out: Json = {};
  for (const item of list) {
    const kv = obj(item);
    const key = str(kv?.key);
    const v = obj(kv?.value);
    if (!key || !v) continue;
    const raw = v.intValue ?? v.doubleValue ?? v.stringValue ?? v.boolValue;
    out[key] = typeof raw === "string" && v.intValue !== undefined ? Number(raw) : raw;
  }
  return out;
}

function usageSamples(span: Json): UsageSample[] {
  const out: UsageSample[] = [];
  for (const item of arr(span.events) ?? []) {
    const event = obj(item);
    if (event?.name !== "github.copilot.session.usage_info") continue;
    const time = hrMs(event.time ?? event.timeUnixNano);
    if (time === undefined) continue;
    const attrs = attributesOf(event.attributes);
    out.push({
      time,
      current: count(attrs["github.copilot.current_tokens"]),
      limit: count(attrs["github.copilot.token_limit"]),
    });
  }
  return out;
}

function callFromSpan(span: Json, attrs: Json, names: Interner): TimedCall & { end_ms: number | null } {
  const input = count(attrs["gen_ai.usage.input_tokens"]);
  const output = count(attrs["gen_ai.usage.output_tokens"]);
  // The exporter leaves out zero cache counts: with usage reported, absent means none.
  const reported = input !== undefined || output !== undefined;
  const cached = (dotted: string, flat: string) =>
    count(attrs[dotted]) ?? count(attrs[flat]) ?? (reported ? 0 : undefined);
  const nano = num(attrs["github.copilot.nano_aiu"]);
  return {
    turn_id: names.get(str(attrs["github.copilot.turn_id"])) ?? null,
    interaction_id: names.get(str(attrs["github.copilot.interaction_id"])) ?? null,
    request_model: names.get(str(attrs["gen_ai.request.model"])) ?? null,
    response_model: names.get(str(attrs["gen_ai.response.model"])) ?? null,
    input_tokens: input ?? null,
    cache_read_input_tokens:
      cached("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens") ?? null,
    cache_creation_input_tokens:
      cached("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens") ?? null,
    output_tokens: output ?? null,
    aiu: nano === undefined ? null : nano / 1e9,
    server_duration_ms: num(attrs["github.copilot.server_duration"]) ?? null,
    current_tokens: null,
    token_limit: null,
    start_ms: hrMs(span.startTime ?? span.startTimeUnixNano) ?? null,
    end_ms: hrMs(span.endTime ?? span.endTimeUnixNano) ?? null,
  };
}

/** Spans of another session in a shared exporter file are left out when the session id is known. */
function belongsTo(span: Json, attrs: Json, sessionId: string | null): boolean {
  if (sessionId === null) return true;
  const resourceSession = str(attributesOf(obj(span.resource)?.attributes)["copilot.session_id"]);
  if (resourceSession !== undefined) return resourceSession === sessionId;
  const conversation = str(attrs["gen_ai.conversation.id"]);
  return conversation === undefined || conversation === sessionId;
}

export async function readOtelCalls(path: string, sessionId: string | null): Promise<OtelCalls> {
  const calls: (TimedCall & { end_ms: number | null; own?: UsageSample })[] = [];
  const pool: UsageSample[] = [];
  let peak: number | undefined;
  const names = new Interner();
  const stats = await readJsonl(path, (record) => {
    if (record.type !== "span") return;
    const attrs = attributesOf(record.attributes);
    if (!belongsTo(record, attrs, sessionId)) return;
    const samples = usageSamples(record);
    for (const s of samples)
      if (s.current !== undefined && (peak === undefined || s.current > peak)) peak = s.current;
    const name = str(record.name) ?? "";
    if (attrs["gen_ai.operation.name"] === "chat" || name.startsWith("chat ")) {
      calls.push({ ...callFromSpan(record, attrs, names), own: samples.at(-1) });
    } else {
      pool.push(...samples);
    }
  });
  calls.sort((a, b) => (a.start_ms ?? 0) - (b.start_ms ?? 0));
  pool.sort((a, b) => a.time - b.time);
  let p = 0;
  let after = Number.NEGATIVE_INFINITY;
  for (const call of calls) {
    let sample = call.own;
    const end = call.end_ms ?? call.start_ms;
    if (end !== null) {
      while (p < pool.length && pool[p]!.time <= after) p += 1;
      let joined: UsageSample | undefined;
      while (p < pool.length && pool[p]!.time <= end) joined = pool[p++];
      sample ??= joined;
      after = Math.max(after, end);
    }
    call.current_tokens = sample?.current ?? null;
    call.token_limit = sample?.limit ?? null;
  }
  return {
    calls: calls.map(({ own: _own, end_ms: _end, ...call }) => call),
    peak_context_tokens: peak,
    lines: stats.lines,
    malformed: stats.malformed,
  };
}
