import type { SessionAnalysis } from "../store/session-schema.ts";
import { ATIF_VERSION, type Step, type Trajectory } from "../store/trajectory-schema.ts";
import { count, type Json, obj, str } from "./_fields.ts";
import { AgentTrack, cap, MAX_CONTENT_CHARS } from "./_trajectory-agent.ts";
import { finalMetricsOf } from "./_trajectory-metrics.ts";
import { numbered } from "./_trajectory-steps.ts";
import { linkSubagent, SubagentRegistry, subTrajectory } from "./_trajectory-subagents.ts";
import { readJsonl } from "./reader.ts";

export { CUT_MARK } from "./_trajectory-agent.ts";

/**
 * A session log as an ATIF trajectory (docs/adr/0015): the one conversion behind both
 * `trajectory.json` and the report's transcript. Events of sub-agents (`agentId`, or the older
 * `parentToolCallId`) go to a trajectory of their own, embedded in `subagent_trajectories` and
 * referenced from the tool call that spawned it. Token figures come from the session's analysis
 * (analysis.json), so the trajectory says what the rest of the tool says.
 */

export const AGENT_NAME = "github-copilot-cli";

export interface TrajectoryOptions {
  /** Copilot's version when the log does not say (run.json's). */
  copilotVersion?: string | null;
}

export class TrajectoryBuilder {
  private readonly main = new AgentTrack();
  private readonly children = new Map<string, AgentTrack>();
  private readonly subagents = new SubagentRegistry();
  private turns = 0;
  private usageRecords = 0;
  private sessionId: string | undefined;
  private version: string | undefined;
  private startedAt: string | undefined;
  private lastAt: string | undefined;
  private effort: string | undefined;

  add(event: Json): void {
    const type = event.type as string;
    const data = obj(event.data) ?? {};
    const at = str(event.timestamp);
    if (at) this.lastAt = at;
    if (type.startsWith("subagent.")) {
      this.subagents.record(type, data, str(event.agentId));
      return;
    }
    const agentId = str(event.agentId);
    const parentCall = str(data.parentToolCallId);
    const track =
      agentId !== undefined
        ? this.child(`agent:${agentId}`)
        : parentCall !== undefined
          ? this.child(`tool:${parentCall}`)
          : this.main;
    this.dispatch(track, type, data, at);
  }

  private child(key: string): AgentTrack {
    let track = this.children.get(key);
    if (!track) {
      track = new AgentTrack();
      this.children.set(key, track);
    }
    return track;
  }

  private dispatch(track: AgentTrack, type: string, data: Json, at: string | undefined): void {
    switch (type) {
      case "session.start":
      case "session.resume":
        this.sessionId ??= str(data.sessionId);
        this.version = str(data.copilotVersion) ?? this.version;
        if (type === "session.start") this.startedAt ??= str(data.startTime) ?? at;
        track.model = str(data.selectedModel) ?? track.model;
        this.effort = str(data.reasoningEffort) ?? this.effort;
        if (type === "session.resume") track.system(at, "Session resumed.", { event: type });
        break;
      case "system.message": {
        const c = cap(str(data.content) ?? "");
        track.push({ source: "system", message: c.text, ...chars(c.chars) }, at);
        break;
      }
      case "user.message": {
        const c = cap(str(data.content) ?? "");
        track.push({ source: "user", message: c.text, ...chars(c.chars) }, at);
        break;
      }
      case "session.model_change":
        this.modelChange(track, data, at);
        break;
      case "assistant.turn_start":
        track.startTurn(data, at, this.turns++);
        break;
      case "assistant.turn_end":
        track.endTurn(at);
        break;
      case "assistant.message":
        track.message(data, at);
        break;
      case "assistant.reasoning":
        track.reasoning(data, at);
        break;
      case "session.usage_record":
        track.usage(this.usageRecords++, at);
        break;
      case "tool.execution_start":
        track.toolStart(data, at);
        break;
      case "tool.execution_complete":
        track.toolComplete(data, at);
        break;
      case "session.compaction_complete":
        this.compaction(track, data, at);
        break;
      case "session.truncation":
        track.system(
          at,
          `Context truncated: ${count(data.tokensRemovedDuringTruncation) ?? "?"} tokens removed (${count(data.messagesRemovedDuringTruncation) ?? "?"} messages).`,
          {
            event: type,
            pre_tokens: count(data.preTruncationTokensInMessages),
            post_tokens: count(data.postTruncationTokensInMessages),
            token_limit: count(data.tokenLimit),
          },
        );
        break;
      case "session.error":
      case "session.warning": {
        const kind =
          str(data.errorType) ?? str(data.warningType) ?? (type === "session.error" ? "error" : "warning");
        const what = type === "session.error" ? "Error" : "Warning";
        track.system(at, `${what} (${kind}): ${str(data.message) ?? ""}`, {
          event: type,
          kind,
          ...(count(data.statusCode) !== undefined ? { status_code: count(data.statusCode) } : {}),
        });
        break;
      }
      case "abort":
        track.system(at, `Aborted: ${str(data.reason) ?? "no reason given"}.`, { event: type });
        break;
      default:
        break;
    }
  }

  private modelChange(track: AgentTrack, data: Json, at: string | undefined): void {
    const next = str(data.newModel);
    const prev = str(data.previousModel);
    track.model = next ?? track.model;
    this.effort = str(data.reasoningEffort) ?? this.effort;
    const message =
      prev && next && prev !== next ? `Model changed from ${prev} to ${next}.` : `Model: ${next ?? "?"}.`;
    track.system(at, message, {
      event: "session.model_change",
      previous_model: prev ?? null,
      new_model: next ?? null,
      ...(str(data.reasoningEffort) ? { reasoning_effort: str(data.reasoningEffort) } : {}),
    });
  }

  private compaction(track: AgentTrack, data: Json, at: string | undefined): void {
    const pre = count(data.preCompactionTokens);
    const post = count(data.postCompactionTokens);
    const ok = data.success !== false;
    const message = ok
      ? `Context compacted: ${pre ?? "?"} → ${post ?? "?"} tokens.`
      : `Context compaction failed${str(data.error) ? `: ${str(data.error)}` : "."}`;
    const summary = str(data.summaryContent);
    track.system(at, message, {
      event: "session.compaction_complete",
      context_management: "compaction",
      success: ok,
      pre_tokens: pre ?? null,
      post_tokens: post ?? null,
      messages_removed: count(data.messagesRemoved) ?? null,
      ...(summary ? { summary: cap(summary).text } : {}),
    });
  }

  /** The trajectory, with token figures from the session's analysis when there is one. */
  finish(analysis: SessionAnalysis | null, opts: TrajectoryOptions = {}): Trajectory {
    const version = this.version ?? analysis?.copilot_version ?? opts.copilotVersion ?? "unknown";
    const subs: Trajectory[] = [];
    const ids = new Set<string>();
    for (const [key, track] of this.children) {
      const call = this.subagents.callOf(key);
      const info = this.subagents.info(call);
      let id = `subagent-${call ?? key.slice(6)}`;
      while (ids.has(id)) id += "-";
      ids.add(id);
      subs.push(subTrajectory(id, track, info, { version, sessionId: this.sessionId }, analysis));
      linkSubagent(this.main, id, call, info);
    }
    const steps = numbered(this.main.steps, analysis);
    const started = this.startedAt ?? analysis?.started_at ?? undefined;
    const extra: Record<string, unknown> = {
      producer: "copilot-experiments",
      format_version: 1,
      copilot_version: version,
      ...(started ? { started_at: started } : {}),
      ...(this.lastAt ? { finished_at: this.lastAt } : {}),
      ...(this.effort ? { reasoning_effort: this.effort } : {}),
      content_limit_chars: MAX_CONTENT_CHARS,
    };
    const trajectory: Trajectory = {
      schema_version: ATIF_VERSION,
      ...(this.sessionId ? { session_id: this.sessionId } : {}),
      agent: {
        name: AGENT_NAME,
        version,
        ...(analysis?.models[0] || this.main.model
          ? { model_name: analysis?.models[0] ?? this.main.model! }
          : {}),
      },
      steps,
      notes:
        "Converted by copilot-experiments from the Copilot CLI session log (redacted). final_metrics are the session's totals (session.shutdown), which also count sub-agents and compaction requests; per-step metrics are those of each model request joined to its turn. AI units (AIU) are not USD: see final_metrics.extra.",
      final_metrics: finalMetricsOf(analysis, steps.length),
      ...(subs.length ? { subagent_trajectories: subs } : {}),
      extra,
    };
    return trajectory;
  }
}

const chars = (n: number | undefined): Partial<Step> => (n ? { extra: { message_chars: n } } : {});

/** The trajectory of a stored session log (streamed). */
export async function buildTrajectory(
  eventsPath: string,
  analysis: SessionAnalysis | null,
  opts: TrajectoryOptions = {},
): Promise<Trajectory> {
  const builder = new TrajectoryBuilder();
  await readJsonl(eventsPath, (event) => builder.add(event));
  return builder.finish(analysis, opts);
}

/** The same from a log held in memory (older runs in the report, synthetic runs). */
export function trajectoryFromText(
  text: string,
  analysis: SessionAnalysis | null,
  opts: TrajectoryOptions = {},
): Trajectory {
  const builder = new TrajectoryBuilder();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const event = obj(JSON.parse(line));
      if (event && typeof event.type === "string") builder.add(event);
    } catch {
      // A malformed line is skipped, as the analysis skips it.
    }
  }
  return builder.finish(analysis, opts);
}
