import type { SessionAnalysis } from "../store/session-schema.ts";
import { ATIF_VERSION, type Trajectory } from "../store/trajectory-schema.ts";
import { count, type Json, obj, str } from "./_fields.ts";
import type { AgentTrack } from "./_trajectory-agent.ts";
import { numbered } from "./_trajectory-steps.ts";

/**
 * Sub-agents of a session (`subagent.started` / `completed` / `failed`): what each was, how it
 * ended, and the tool call that spawned it, so its events (kept apart by `agentId`, or by the
 * older `parentToolCallId`) become an embedded trajectory that call's result points to.
 */

export interface SubagentInfo {
  name?: string;
  displayName?: string;
  description?: string;
  model?: string;
  status?: "running" | "completed" | "failed";
  error?: string;
  durationMs?: number;
  totalTokens?: number;
  totalToolCalls?: number;
}

export class SubagentRegistry {
  /** By the tool call that spawned the sub-agent. */
  private readonly byCall = new Map<string, SubagentInfo>();
  /** A sub-agent's `agentId` → the tool call that spawned it. */
  private readonly agentCall = new Map<string, string>();

  record(type: string, data: Json, agentId: string | undefined): void {
    const call = str(data.toolCallId);
    if (call === undefined) return;
    if (agentId !== undefined) this.agentCall.set(agentId, call);
    const info = this.byCall.get(call) ?? {};
    info.name = str(data.agentName) ?? info.name;
    info.displayName = str(data.agentDisplayName) ?? info.displayName;
    info.description = str(data.agentDescription) ?? info.description;
    info.model = str(data.model) ?? info.model;
    if (type === "subagent.started") info.status = "running";
    if (type === "subagent.completed") info.status = "completed";
    if (type === "subagent.failed") {
      info.status = "failed";
      info.error = str(data.error) ?? str(obj(data.error)?.message) ?? info.error;
    }
    info.durationMs = count(data.durationMs) ?? info.durationMs;
    info.totalTokens = count(data.totalTokens) ?? info.totalTokens;
    info.totalToolCalls = count(data.totalToolCalls) ?? info.totalToolCalls;
    this.byCall.set(call, info);
  }

  /** The spawning call of a child track: `tool:<id>` names it, `agent:<id>` was linked by its events. */
  callOf(key: string): string | undefined {
    return key.startsWith("tool:") ? key.slice(5) : this.agentCall.get(key.slice(6));
  }

  info(call: string | undefined): SubagentInfo {
    return (call !== undefined ? this.byCall.get(call) : undefined) ?? {};
  }
}

export function subTrajectory(
  id: string,
  track: AgentTrack,
  info: SubagentInfo,
  base: { version: string; sessionId?: string },
  analysis: SessionAnalysis | null,
): Trajectory {
  const steps = numbered(track.steps, analysis);
  const model = info.model ?? track.model;
  return {
    schema_version: ATIF_VERSION,
    trajectory_id: id,
    ...(base.sessionId ? { session_id: base.sessionId } : {}),
    agent: { name: info.name ?? "subagent", version: base.version, ...(model ? { model_name: model } : {}) },
    steps,
    final_metrics: {
      total_steps: steps.length,
      ...(info.totalTokens !== undefined ? { extra: { total_tokens: info.totalTokens } } : {}),
    },
    extra: {
      ...(info.displayName ? { display_name: info.displayName } : {}),
      ...(info.description ? { description: info.description } : {}),
      status: info.status ?? "unknown",
      ...(info.error ? { error: info.error } : {}),
      ...(info.durationMs !== undefined ? { duration_ms: info.durationMs } : {}),
      ...(info.totalToolCalls !== undefined ? { total_tool_calls: info.totalToolCalls } : {}),
    },
  };
}

/** The spawning call's result points at the sub-agent's trajectory; without one, a system step does. */
export function linkSubagent(
  main: AgentTrack,
  id: string,
  call: string | undefined,
  info: SubagentInfo,
): void {
  const ref = { trajectory_id: id, extra: { status: info.status ?? "unknown" } };
  const owner = call !== undefined ? main.stepOfCall(call) : undefined;
  if (owner) {
    const results = owner.step.observation?.results ?? [];
    const at = results.findIndex((r) => r.source_call_id === call);
    const result = at === -1 ? { source_call_id: call } : results[at]!;
    const linked = {
      source_call_id: result.source_call_id,
      ...(result.content !== undefined ? { content: result.content } : {}),
      subagent_trajectory_ref: [...(result.subagent_trajectory_ref ?? []), ref],
      ...(result.extra ? { extra: result.extra } : {}),
    };
    owner.step.observation = {
      results: at === -1 ? [...results, linked] : results.map((r, i) => (i === at ? linked : r)),
    };
    return;
  }
  main.system(undefined, `Sub-agent ${info.displayName ?? info.name ?? id} ran.`, { event: "subagent" }, [
    { subagent_trajectory_ref: [ref] },
  ]);
}
