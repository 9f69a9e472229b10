import { Interner, isoMs } from "./_fields.ts";
import type { Turn } from "./schema.ts";

/**
 * The per-turn timeline: one entry per `assistant.turn_start`, with the tools it ran, a preview
 * of what the assistant said and its output tokens (from OTel calls when joined, else from
 * `session.usage_record`, else from `assistant.message.outputTokens`).
 */

const MAX_TOOLS_PER_TURN = 50;
const PREVIEW_CHARS = 160;

/** Times are epoch ms (NaN when unknown): numbers, not strings, stay cheap for the whole run. */
export interface TurnAcc {
  turnId: string | null;
  interactionId: string | null;
  startMs: number;
  endMs: number;
  /** Time of the last event seen inside the turn, for turns that never ended. */
  lastMs: number;
  messageOutput: number | undefined;
  usageOutput: number | undefined;
  callOutput: number | undefined;
  nTools: number;
  tools: string[];
  preview: string;
}

export function previewOf(content: string): string {
  const preview = content
    .slice(0, PREVIEW_CHARS * 3)
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, PREVIEW_CHARS);
  // A slice can keep the whole message alive; a turn keeps only its own copy of the preview.
  return Buffer.from(preview, "utf8").toString("utf8");
}

export class TurnTracker {
  readonly turns: TurnAcc[] = [];
  private current: TurnAcc | undefined;
  /** Timestamp of the latest event, parsed only when a turn closes. */
  private lastAt: string | undefined;
  private readonly ids = new Interner();

  start(turnId: string | undefined, interactionId: string | undefined, at: string | undefined): void {
    this.close();
    const startMs = isoMs(at) ?? Number.NaN;
    this.current = {
      turnId: this.ids.get(turnId) ?? null,
      interactionId: this.ids.get(interactionId) ?? null,
      startMs,
      endMs: Number.NaN,
      lastMs: startMs,
      messageOutput: undefined,
      usageOutput: undefined,
      callOutput: undefined,
      nTools: 0,
      tools: [],
      preview: "",
    };
    this.turns.push(this.current);
  }

  end(at: string | undefined): void {
    if (this.current) this.current.endMs = isoMs(at) ?? Number.NaN;
    this.close();
  }

  touch(at: string): void {
    this.lastAt = at;
  }

  private close(): void {
    if (this.current) this.current.lastMs = isoMs(this.lastAt) ?? this.current.lastMs;
    this.current = undefined;
  }

  message(content: string | undefined, outputTokens: number | undefined): void {
    const turn = this.current;
    if (!turn) return;
    if (outputTokens !== undefined) turn.messageOutput = (turn.messageOutput ?? 0) + outputTokens;
    if (turn.preview === "" && content) turn.preview = previewOf(content);
  }

  usage(outputTokens: number | undefined): string | null {
    const turn = this.current;
    if (turn && outputTokens !== undefined) turn.usageOutput = (turn.usageOutput ?? 0) + outputTokens;
    return turn?.turnId ?? null;
  }

  tool(name: string): void {
    const turn = this.current;
    if (!turn) return;
    turn.nTools += 1;
    if (turn.tools.length < MAX_TOOLS_PER_TURN) turn.tools.push(this.ids.get(name));
  }

  /** Join LLM calls to turns by (interaction id, turn id), falling back to the turn id alone. */
  joinCalls(
    calls: readonly {
      turn_id: string | null;
      interaction_id?: string | null;
      output_tokens: number | null;
    }[],
  ) {
    const byKey = new Map<string, TurnAcc>();
    const byId = new Map<string, TurnAcc>();
    for (const turn of this.turns) {
      if (turn.turnId === null) continue;
      byKey.set(`${turn.interactionId}\u0000${turn.turnId}`, turn);
      if (!byId.has(turn.turnId)) byId.set(turn.turnId, turn);
    }
    let joined = 0;
    for (const call of calls) {
      if (call.turn_id === null) continue;
      const turn = byKey.get(`${call.interaction_id ?? null}\u0000${call.turn_id}`) ?? byId.get(call.turn_id);
      if (!turn) continue;
      joined += 1;
      if (call.output_tokens !== null) turn.callOutput = (turn.callOutput ?? 0) + call.output_tokens;
    }
    return joined;
  }

  finish(sessionStartMs: number | undefined): Turn[] {
    this.close();
    return this.turns.map((t, index) => {
      const start = Number.isFinite(t.startMs) ? t.startMs : undefined;
      const end = Number.isFinite(t.endMs) ? t.endMs : t.lastMs;
      return {
        index: index + 1,
        turn_id: t.turnId,
        started_at: start !== undefined ? new Date(start).toISOString() : null,
        offset_s:
          start !== undefined && sessionStartMs !== undefined ? (start - sessionStartMs) / 1000 : null,
        duration_s: start !== undefined && Number.isFinite(end) && end >= start ? (end - start) / 1000 : null,
        output_tokens: t.callOutput ?? t.usageOutput ?? t.messageOutput ?? null,
        n_tool_calls: t.nTools,
        tools: t.tools,
        preview: t.preview,
      };
    });
  }
}
