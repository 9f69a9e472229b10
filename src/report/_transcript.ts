import type { Step, Trajectory } from "../store/trajectory-schema.ts";
import type { Transcript, TranscriptCall, TranscriptEntry } from "./types.ts";

/**
 * A trial's transcript as the report embeds it: the trajectory (trajectory.json, the one
 * conversion of the session log, docs/adr/0015) with every text bounded so that a report of
 * 1,000 trials stays small (docs/adr/0003). A cut text keeps its head and its tail, and says how
 * long it was; the whole text is in trajectory.json next to the report.
 */

export const TRANSCRIPT_LIMITS = {
  /** Characters of one tool call's output kept in the report (head and tail). */
  output: 2_000,
  /** Of one tool call's arguments. */
  args: 1_200,
  /** Of one message or reasoning text. */
  message: 4_000,
  /** Of a system prompt (identical in most trials; the full text is in trajectory.json). */
  system: 400,
  /**
   * Of all the texts of one trial; past it, each further output and argument list keeps
   * `tight` characters (messages keep theirs).
   */
  trial: 24_000,
  tight: 240,
} as const;

type Limits = typeof TRANSCRIPT_LIMITS;

/** Head and tail of a long text, with a marker line where the middle was. */
export function clip(text: string, max: number): { text: string; cut?: number } {
  if (text.length <= max) return { text };
  const head = Math.ceil(max * 0.7);
  const tail = max - head;
  const gap = text.length - head - tail;
  return {
    text: `${text.slice(0, head)}\n… ${gap.toLocaleString("en-US")} characters not in the report …\n${tail ? text.slice(-tail) : ""}`,
    cut: text.length,
  };
}

class Budget {
  used = 0;
  cut = false;
  constructor(private readonly limits: Limits) {}

  /** A text within `max`; outputs and arguments (`squeeze`) get `tight` once the trial's budget is spent. */
  take(text: string, max: number, squeeze = false): { text: string; cut?: number } {
    const room = squeeze && this.used >= this.limits.trial ? Math.min(max, this.limits.tight) : max;
    const out = clip(text, room);
    this.used += out.text.length;
    if (out.cut) this.cut = true;
    return out;
  }
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function argsText(args: Record<string, unknown>, extra: Record<string, unknown> | undefined): string {
  if (extra?.arguments_format === "text" && typeof args.input === "string") return args.input;
  return JSON.stringify(args, null, 1);
}

function entryOf(
  step: Step,
  start: number | undefined,
  b: Budget,
  subIds: Map<string, number>,
): TranscriptEntry {
  const extra = step.extra ?? {};
  const event = text(extra.event);
  const kind = step.source === "system" && event ? "event" : step.source;
  const max = step.source === "system" && !event ? TRANSCRIPT_LIMITS.system : TRANSCRIPT_LIMITS.message;
  const msg = b.take(step.message, max);
  const t = step.timestamp ? Date.parse(step.timestamp) : Number.NaN;
  const entry: TranscriptEntry = {
    step: step.step_id,
    kind,
    at: start !== undefined && Number.isFinite(t) ? Math.max(0, (t - start) / 1000) : null,
    text: msg.text,
  };
  if (msg.cut) entry.text_cut = msg.cut;
  if (event) entry.event = event.replace(/^session\./, "");
  if (num(extra.turn) !== undefined) entry.turn = num(extra.turn);
  if (num(extra.duration_s) !== undefined) entry.duration_s = num(extra.duration_s);
  if (step.model_name) entry.model = step.model_name;
  if (step.reasoning_content) {
    const r = b.take(step.reasoning_content, TRANSCRIPT_LIMITS.message);
    entry.reasoning = r.text;
    if (r.cut) entry.reasoning_cut = r.cut;
  }
  const m = step.metrics;
  if (m) entry.tokens = { prompt: m.prompt_tokens, completion: m.completion_tokens, cached: m.cached_tokens };
  if (step.tool_calls?.length) entry.calls = step.tool_calls.map((c) => callOf(step, c, b, subIds));
  return entry;
}

function callOf(
  step: Step,
  c: NonNullable<Step["tool_calls"]>[number],
  b: Budget,
  subIds: Map<string, number>,
) {
  const result = step.observation?.results.find((r) => r.source_call_id === c.tool_call_id);
  const x = result?.extra ?? {};
  const args = b.take(argsText(c.arguments, c.extra), TRANSCRIPT_LIMITS.args, true);
  const call: TranscriptCall = {
    id: c.tool_call_id,
    name: c.function_name,
    args: args.text,
    output: null,
    exit_code: num(x.exit_code) ?? null,
    success: typeof x.success === "boolean" ? x.success : null,
    duration_ms: num(x.duration_ms) ?? null,
  };
  if (args.cut) call.args_cut = args.cut;
  if (typeof result?.content === "string") {
    const out = b.take(result.content, TRANSCRIPT_LIMITS.output, true);
    call.output = out.text;
    // The log's own cut (trajectory.json keeps 100,000 characters) counts as a cut too.
    const whole = num(x.content_chars);
    if (out.cut || whole) call.output_cut = whole ?? out.cut;
  }
  const ref = result?.subagent_trajectory_ref?.[0]?.trajectory_id;
  if (ref !== undefined && subIds.has(ref)) call.subagent = subIds.get(ref);
  return call;
}

/** The transcript of a trajectory, bounded for the report. */
export function transcriptOf(
  t: Trajectory,
  source: Transcript["source"],
  limits: Limits = TRANSCRIPT_LIMITS,
): Transcript {
  const b = new Budget(limits);
  const startIso = text(t.extra?.started_at);
  const start = startIso ? Date.parse(startIso) : undefined;
  const subs = t.subagent_trajectories ?? [];
  const subIds = new Map(subs.map((s, i) => [s.trajectory_id ?? `#${i}`, i]));
  const entries = t.steps.map((s) => entryOf(s, start, b, subIds));
  const subagents = subs.map((s) => ({
    id: s.trajectory_id ?? "",
    name: text(s.extra?.display_name) ?? s.agent.name,
    model: s.agent.model_name ?? null,
    status: text(s.extra?.status) ?? "unknown",
    entries: s.steps.map((step) => entryOf(step, start, b, new Map())),
  }));
  return { source, entries, subagents, cut: b.cut };
}
