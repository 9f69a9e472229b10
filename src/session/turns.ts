import type { Turn } from "../store/session-schema.ts";
import { NumberColumn } from "./_columns.ts";
import { Interner, isoMs } from "./_fields.ts";
import type { CallTable } from "./calls.ts";

/**
 * The per-turn timeline: one entry per `assistant.turn_start`, with the tools it ran, a preview
 * of what the assistant said and its output tokens (from OTel calls when joined, else from
 * `session.usage_record`, else from `assistant.message.outputTokens`). Kept in columns
 * (_columns.ts) so that a log of any length holds only a few arrays; times are epoch ms.
 */

const MAX_TOOLS_PER_TURN = 50;
const PREVIEW_CHARS = 160;

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
  private readonly turnIds: (string | null)[] = [];
  private readonly interactionIds: (string | null)[] = [];
  private readonly previews: string[] = [];
  private readonly startMs = new NumberColumn();
  private readonly endMs = new NumberColumn();
  /** Time of the last event seen inside the turn, for turns that never ended. */
  private readonly lastMs = new NumberColumn();
  private readonly messageOutput = new NumberColumn();
  private readonly usageOutput = new NumberColumn();
  private readonly callOutput = new NumberColumn();
  private readonly nTools = new NumberColumn();
  /** Tool names of all turns, one after the other; `toolsFrom[t]` is where turn t's begin. */
  private readonly toolNames: string[] = [];
  private readonly toolsFrom = new NumberColumn();
  private current = -1;
  /** Timestamp of the latest event, parsed only when a turn closes. */
  private lastAt: string | undefined;
  private readonly ids = new Interner();

  get count(): number {
    return this.turnIds.length;
  }

  start(turnId: string | undefined, interactionId: string | undefined, at: string | undefined): void {
    this.close();
    const start = isoMs(at);
    this.turnIds.push(this.ids.get(turnId) ?? null);
    this.interactionIds.push(this.ids.get(interactionId) ?? null);
    this.previews.push("");
    this.startMs.push(start);
    this.endMs.push(undefined);
    this.lastMs.push(start);
    this.messageOutput.push(undefined);
    this.usageOutput.push(undefined);
    this.callOutput.push(undefined);
    this.nTools.push(0);
    this.toolsFrom.push(this.toolNames.length);
    this.current = this.turnIds.length - 1;
  }

  end(at: string | undefined): void {
    if (this.current >= 0) this.endMs.set(this.current, isoMs(at));
    this.close();
  }

  touch(at: string): void {
    this.lastAt = at;
  }

  private close(): void {
    if (this.current >= 0) {
      const last = isoMs(this.lastAt);
      if (last !== undefined) this.lastMs.set(this.current, last);
    }
    this.current = -1;
  }

  message(content: string | undefined, outputTokens: number | undefined): void {
    const t = this.current;
    if (t < 0) return;
    if (outputTokens !== undefined) this.messageOutput.add(t, outputTokens);
    if (this.previews[t] === "" && content) this.previews[t] = previewOf(content);
  }

  /** Record a request's output tokens; returns the id of the turn it belongs to. */
  usage(outputTokens: number | undefined): string | null {
    const t = this.current;
    if (t < 0) return null;
    if (outputTokens !== undefined) this.usageOutput.add(t, outputTokens);
    return this.turnIds[t]!;
  }

  tool(name: string): void {
    const t = this.current;
    if (t < 0) return;
    this.nTools.add(t, 1);
    if (this.toolNames.length - this.toolsFrom.get(t)! < MAX_TOOLS_PER_TURN)
      this.toolNames.push(this.ids.get(name));
  }

  /** Join LLM calls to turns by (interaction id, turn id), falling back to the turn id alone. */
  joinCalls(calls: CallTable): number {
    const byKey = new Map<string, number>();
    const byId = new Map<string, number>();
    for (let t = 0; t < this.count; t++) {
      const id = this.turnIds[t];
      if (id === null || id === undefined) continue;
      byKey.set(`${this.interactionIds[t]}\u0000${id}`, t);
      if (!byId.has(id)) byId.set(id, t);
    }
    let joined = 0;
    for (let i = 0; i < calls.length; i++) {
      const id = calls.text("turn_id", i);
      if (id === null) continue;
      const t = byKey.get(`${calls.text("interaction_id", i)}\u0000${id}`) ?? byId.get(id);
      if (t === undefined) continue;
      joined += 1;
      const output = calls.num("output_tokens", i);
      if (output !== undefined) this.callOutput.add(t, output);
    }
    return joined;
  }

  finish(sessionStartMs: number | undefined): Turn[] {
    this.close();
    const turns: Turn[] = [];
    for (let t = 0; t < this.count; t++) {
      const start = this.startMs.get(t);
      const end = this.endMs.get(t) ?? this.lastMs.get(t);
      const toolsEnd = t + 1 < this.count ? this.toolsFrom.get(t + 1)! : this.toolNames.length;
      turns.push({
        index: t + 1,
        turn_id: this.turnIds[t]!,
        started_at: start !== undefined ? new Date(start).toISOString() : null,
        offset_s:
          start !== undefined && sessionStartMs !== undefined ? (start - sessionStartMs) / 1000 : null,
        duration_s: start !== undefined && end !== undefined && end >= start ? (end - start) / 1000 : null,
        output_tokens: this.callOutput.get(t) ?? this.usageOutput.get(t) ?? this.messageOutput.get(t) ?? null,
        n_tool_calls: this.nTools.get(t)!,
        tools: this.toolNames.slice(this.toolsFrom.get(t)!, toolsEnd),
        preview: this.previews[t]!,
      });
    }
    return turns;
  }
}
