import { NumberColumn } from "./_columns.ts";
import { arr, count, hrMs, Interner, id, type Json, num, obj, str } from "./_fields.ts";
import { type CallRow, CallTable } from "./calls.ts";
import { readJsonl } from "./reader.ts";

/**
 * LLM calls from the OTel file exporter's `chat <model>` spans (one span per line). The context
 * size of a call comes from `github.copilot.session.usage_info` span events: on the chat span
 * itself (1.0.65 era), where the event needs no `time` to belong to its call, or on the
 * `invoke_agent` span (1.0.102), where they are joined to calls by time: an event belongs to
 * the first call that ends after it. Ids (`turn_id`, `interaction_id`) may be written as numbers
 * or strings. Rules: docs/adr/0010-session-log-reading-rules.md.
 */

export interface OtelCalls {
  /** Chat spans of the session, in the order they were written. */
  calls: CallTable;
  /** Row order by start time. */
  order: number[];
  /** Largest `current_tokens` seen in any usage event. */
  peak_context_tokens: number | undefined;
  lines: number;
  malformed: number;
}

interface UsageSample {
  /** Undefined when the event has no time: it can still be its own chat span's, never joined. */
  time: number | undefined;
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
    const attrs = attributesOf(event.attributes);
    out.push({
      time,
      current: count(attrs["github.copilot.current_tokens"]),
      limit: count(attrs["github.copilot.token_limit"]),
    });
  }
  return out;
}

function callFromSpan(span: Json, attrs: Json, names: Interner, own: UsageSample | undefined): CallRow {
  const input = count(attrs["gen_ai.usage.input_tokens"]);
  const output = count(attrs["gen_ai.usage.output_tokens"]);
  // The exporter leaves out zero cache counts: with usage reported, absent means none.
  const reported = input !== undefined || output !== undefined;
  const cached = (dotted: string, flat: string) =>
    count(attrs[dotted]) ?? count(attrs[flat]) ?? (reported ? 0 : undefined);
  const nano = num(attrs["github.copilot.nano_aiu"]);
  return {
    turn_id: names.get(id(attrs["github.copilot.turn_id"])) ?? null,
    interaction_id: names.get(id(attrs["github.copilot.interaction_id"])) ?? null,
    request_model: names.get(str(attrs["gen_ai.request.model"])) ?? null,
    response_model: names.get(str(attrs["gen_ai.response.model"])) ?? null,
    input_tokens: input,
    cache_read_input_tokens: cached(
      "gen_ai.usage.cache_read.input_tokens",
      "gen_ai.usage.cache_read_input_tokens",
    ),
    cache_creation_input_tokens: cached(
      "gen_ai.usage.cache_creation.input_tokens",
      "gen_ai.usage.cache_creation_input_tokens",
    ),
    output_tokens: output,
    aiu: nano === undefined ? undefined : nano / 1e9,
    server_duration_ms: num(attrs["github.copilot.server_duration"]),
    current_tokens: own?.current,
    token_limit: own?.limit,
    start_ms: hrMs(span.startTime ?? span.startTimeUnixNano),
    end_ms: hrMs(span.endTime ?? span.endTimeUnixNano),
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
  const calls = new CallTable();
  const hasOwn: boolean[] = [];
  // Usage events of non-chat spans, joined to calls by time below.
  const poolTime = new NumberColumn();
  const poolCurrent = new NumberColumn();
  const poolLimit = new NumberColumn();
  let peak: number | undefined;
  const names = new Interner();
  const stats = await readJsonl(path, (record) => {
    if (record.type !== "span") return;
    const attrs = attributesOf(record.attributes);
    if (!belongsTo(record, attrs, sessionId)) return;
    const samples = usageSamples(record);
    for (const s of samples) {
      if (s.current !== undefined && (peak === undefined || s.current > peak)) peak = s.current;
    }
    const name = str(record.name) ?? "";
    if (attrs["gen_ai.operation.name"] === "chat" || name.startsWith("chat ")) {
      calls.push(callFromSpan(record, attrs, names, samples.at(-1)));
      hasOwn.push(samples.length > 0);
    } else {
      for (const s of samples) {
        if (s.time === undefined) continue;
        poolTime.push(s.time);
        poolCurrent.push(s.current);
        poolLimit.push(s.limit);
      }
    }
  });
  const order = calls.orderByStart();
  const pool = Array.from({ length: poolTime.length }, (_, i) => i).sort(
    (a, b) => poolTime.get(a)! - poolTime.get(b)!,
  );
  let p = 0;
  let after = Number.NEGATIVE_INFINITY;
  for (const i of order) {
    const end = calls.num("end_ms", i) ?? calls.num("start_ms", i);
    if (end === undefined) continue;
    while (p < pool.length && poolTime.get(pool[p]!)! <= after) p += 1;
    let joined: number | undefined;
    while (p < pool.length && poolTime.get(pool[p]!)! <= end) joined = pool[p++];
    after = Math.max(after, end);
    if (!hasOwn[i] && joined !== undefined) {
      calls.setNum("current_tokens", i, poolCurrent.get(joined));
      calls.setNum("token_limit", i, poolLimit.get(joined));
    }
  }
  return { calls, order, peak_context_tokens: peak, lines: stats.lines, malformed: stats.malformed };
}
