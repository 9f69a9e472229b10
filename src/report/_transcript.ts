import type { Step, Trajectory } from "../store/trajectory-schema.ts";
import { allot, clip } from "./_budget.ts";
import type { Transcript, TranscriptCall, TranscriptEntry } from "./types.ts";

/**
 * A trial's transcript as the report embeds it: the trajectory (trajectory.json, the one
 * conversion of the session log, docs/adr/0015) with its texts bounded, so a report of 1,000
 * trials stays small (docs/adr/0003). Each text has its own cap; the tool calls of a trial
 * share one budget and its messages another, split so that short texts stay whole and the
 * long ones share the rest (_budget.ts). A cut text keeps its head and tail and says how long
 * it was; the whole session is in trajectory.json.
 */

export const TRANSCRIPT_LIMITS = {
  /** Characters of one tool call's output kept in the report (head and tail): the per-call limit. */
  output: 2_000,
  /** Of one tool call's arguments. */
  args: 1_000,
  /** All the outputs and arguments of one trial. */
  calls: 5_000,
  /** Of one message or reasoning text. */
  message: 2_000,
  /** All the messages and reasoning of one trial. */
  messages: 3_000,
  /** Of a system prompt (the same in most trials; the full text is in trajectory.json). */
  system: 300,
  /** Of an event's line (model change, error, compaction). */
  event: 500,
  /** No budget cuts a text below this. */
  floor: 120,
} as const;

type Kind = "output" | "args" | "message";
interface Slot {
  kind: Kind;
  text: string;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function argsText(args: Record<string, unknown>, extra: Record<string, unknown> | undefined): string {
  if (extra?.arguments_format === "text" && typeof args.input === "string") return args.input;
  return JSON.stringify(args, null, 1);
}

/** Every budgeted text of the trajectory (main steps, then each sub-agent's), in order. */
function slotsOf(steps: Step[], out: Slot[]): void {
  for (const s of steps) {
    if (s.source === "agent" || s.source === "user") out.push({ kind: "message", text: s.message });
    if (s.reasoning_content) out.push({ kind: "message", text: s.reasoning_content });
    for (const c of s.tool_calls ?? []) {
      out.push({ kind: "args", text: argsText(c.arguments, c.extra) });
      const r = s.observation?.results.find((x) => x.source_call_id === c.tool_call_id);
      if (typeof r?.content === "string") out.push({ kind: "output", text: r.content });
    }
  }
}

/** The room each slot gets: its kind's cap, and its share of its pool. */
function roomOf(slots: Slot[]): number[] {
  const L = TRANSCRIPT_LIMITS;
  const room: number[] = slots.map((s) =>
    s.kind === "output" ? L.output : s.kind === "args" ? L.args : L.message,
  );
  for (const [pool, kinds] of [
    [L.calls, ["output", "args"]],
    [L.messages, ["message"]],
  ] as const) {
    const members = slots.flatMap((s, i) => ((kinds as readonly Kind[]).includes(s.kind) ? [i] : []));
    const shares = allot(
      members.map((i) => Math.min(slots[i]!.text.length, room[i]!)),
      pool,
      L.floor,
    );
    members.forEach((i, k) => {
      room[i] = shares[k]!;
    });
  }
  return room;
}

class Texts {
  private i = 0;
  cut = false;
  constructor(private readonly room: number[]) {}

  /** The next budgeted text, within its room (the same order as `slotsOf`). */
  next(text: string): { text: string; cut?: number } {
    return this.fit(text, this.room[this.i++]!);
  }

  fit(text: string, max: number): { text: string; cut?: number } {
    const out = clip(text, max);
    if (out.cut) this.cut = true;
    return out;
  }
}

interface Walk {
  start: number | undefined;
  texts: Texts;
  subIds: Map<string, number>;
  /** The model of the previous agent step: an entry names its model only when it changes. */
  model?: string;
}

const ms3 = (x: number) => Math.round(x * 1000) / 1000;

function entryOf(step: Step, w: Walk): TranscriptEntry {
  const { start, texts: t, subIds } = w;
  const extra = step.extra ?? {};
  const event = str(extra.event);
  const kind = step.source === "system" && event ? "event" : step.source;
  const msg =
    step.source === "system"
      ? t.fit(step.message, event ? TRANSCRIPT_LIMITS.event : TRANSCRIPT_LIMITS.system)
      : t.next(step.message);
  const time = step.timestamp ? Date.parse(step.timestamp) : Number.NaN;
  const entry: TranscriptEntry = {
    step: step.step_id,
    kind,
    at: start !== undefined && Number.isFinite(time) ? ms3(Math.max(0, (time - start) / 1000)) : null,
    text: msg.text,
  };
  if (msg.cut) entry.text_cut = msg.cut;
  if (event) entry.event = event.replace(/^session\./, "");
  if (num(extra.turn) !== undefined) entry.turn = num(extra.turn);
  if (num(extra.duration_s) !== undefined) entry.duration_s = ms3(num(extra.duration_s)!);
  if (step.model_name && step.model_name !== w.model) entry.model = step.model_name;
  if (step.model_name) w.model = step.model_name;
  if (step.reasoning_content) {
    const r = t.next(step.reasoning_content);
    entry.reasoning = r.text;
    if (r.cut) entry.reasoning_cut = r.cut;
  }
  const m = step.metrics;
  if (m) entry.tokens = { prompt: m.prompt_tokens, completion: m.completion_tokens, cached: m.cached_tokens };
  if (step.tool_calls?.length) entry.calls = step.tool_calls.map((c) => callOf(step, c, t, subIds));
  return entry;
}

function callOf(
  step: Step,
  c: NonNullable<Step["tool_calls"]>[number],
  t: Texts,
  subIds: Map<string, number>,
) {
  const result = step.observation?.results.find((r) => r.source_call_id === c.tool_call_id);
  const x = result?.extra ?? {};
  const args = t.next(argsText(c.arguments, c.extra));
  const call: TranscriptCall = { id: c.tool_call_id, name: c.function_name, args: args.text, output: null };
  if (num(x.exit_code) !== undefined) call.exit_code = num(x.exit_code);
  if (x.success === false) call.success = false;
  if (num(x.duration_ms) !== undefined) call.duration_ms = num(x.duration_ms);
  if (args.cut) call.args_cut = args.cut;
  if (typeof result?.content === "string") {
    const out = t.next(result.content);
    call.output = out.text;
    // trajectory.json's own cut (it keeps 100,000 characters) counts too.
    const whole = num(x.content_chars);
    if (out.cut || whole) call.output_cut = whole ?? out.cut;
  }
  const ref = result?.subagent_trajectory_ref?.[0]?.trajectory_id;
  if (ref !== undefined && subIds.has(ref)) call.subagent = subIds.get(ref);
  return call;
}

/** The transcript of a trajectory, bounded for the report. */
export function transcriptOf(tr: Trajectory, source: Transcript["source"]): Transcript {
  const subs = tr.subagent_trajectories ?? [];
  const slots: Slot[] = [];
  slotsOf(tr.steps, slots);
  for (const s of subs) slotsOf(s.steps, slots);
  const texts = new Texts(roomOf(slots));
  const startIso = str(tr.extra?.started_at);
  const start = startIso ? Date.parse(startIso) : undefined;
  const subIds = new Map(subs.map((s, i) => [s.trajectory_id ?? `#${i}`, i]));
  const main: Walk = { start, texts, subIds };
  const entries = tr.steps.map((s) => entryOf(s, main));
  const subagents = subs.map((s) => ({
    id: s.trajectory_id ?? "",
    name: str(s.extra?.display_name) ?? s.agent.name,
    model: s.agent.model_name ?? null,
    status: str(s.extra?.status) ?? "unknown",
    entries: ((w: Walk) => s.steps.map((step) => entryOf(step, w)))({ start, texts, subIds: new Map() }),
  }));
  return { source, entries, subagents, cut: texts.cut };
}
