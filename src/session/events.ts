import type { SessionWarning } from "../store/session-schema.ts";
import { arr, count, Interner, isoMs, type Json, num, obj, str, whole } from "./_fields.ts";
import { CallTable } from "./calls.ts";
import { EconomicsCollector } from "./economics.ts";
import { ToolTracker } from "./tools.ts";
import { TurnTracker } from "./turns.ts";

/**
 * One pass over `events.jsonl`: every event is counted by type, the ones that carry meaning
 * update small accumulators, everything else is ignored. Fields are read defensively: a missing
 * or wrongly typed field is treated as absent.
 */

const MAX_WARNINGS = 200;

export class EventCollector {
  readonly typeCounts = new Map<string, number>();
  nEvents = 0;
  nUserMessages = 0;
  nAssistantMessages = 0;
  nSessionWarnings = 0;
  sessionId: string | null = null;
  copilotVersion: string | null = null;
  reasoningEffort: string | null = null;
  cwd: string | null = null;
  repository: string | null = null;
  branch: string | null = null;
  startTime: string | null = null;
  firstAt: string | null = null;
  lastAt: string | null = null;
  readonly models: string[] = [];
  private readonly modelSet = new Set<string>();
  readonly warnings: SessionWarning[] = [];
  /** One per `session.usage_record`: the LLM calls when there is no OTel file. */
  readonly usageCalls = new CallTable();
  readonly tools = new ToolTracker();
  readonly turns = new TurnTracker();
  readonly economics = new EconomicsCollector();
  private readonly names = new Interner();

  add(event: Json): void {
    const type = event.type as string;
    this.nEvents += 1;
    this.typeCounts.set(type, (this.typeCounts.get(type) ?? 0) + 1);
    const data = obj(event.data) ?? {};
    const at = str(event.timestamp);
    if (at !== undefined) {
      this.firstAt ??= at;
      this.lastAt = at;
      this.turns.touch(at);
    }
    switch (type) {
      case "session.start":
      case "session.resume":
        this.onStart(data, type === "session.start");
        break;
      case "session.model_change":
        this.model(data.newModel);
        this.reasoningEffort = str(data.reasoningEffort) ?? this.reasoningEffort;
        break;
      case "user.message":
        this.nUserMessages += 1;
        break;
      case "assistant.turn_start":
        this.turns.start(str(data.turnId), str(data.interactionId), at);
        break;
      case "assistant.turn_end":
        this.turns.end(at);
        break;
      case "assistant.message":
        this.onMessage(data);
        break;
      case "tool.execution_start":
        this.onToolStart(data, at);
        break;
      case "tool.execution_complete":
        this.onToolComplete(data, at);
        break;
      case "session.usage_record":
        this.onUsageRecord(data);
        break;
      case "session.shutdown":
        this.economics.addShutdown(data);
        break;
      case "session.compaction_start":
        this.economics.addCompactionStart(data);
        break;
      case "session.usage_info":
        this.economics.sampleContext(count(data.currentTokens));
        break;
      case "session.compaction_complete":
        this.economics.addCompaction(data);
        break;
      case "session.truncation":
        this.economics.addTruncation(data);
        break;
      case "session.warning":
        this.warn(str(data.warningType) ?? "warning", data.message, at);
        break;
      case "session.error":
        this.warn(`error:${str(data.errorType) ?? "unknown"}`, data.message, at);
        break;
      default:
        break;
    }
  }

  private onStart(data: Json, isStart: boolean): void {
    if (isStart || this.sessionId === null) this.sessionId = str(data.sessionId) ?? this.sessionId;
    this.copilotVersion = str(data.copilotVersion) ?? this.copilotVersion;
    if (isStart) this.startTime ??= str(data.startTime) ?? null;
    this.model(data.selectedModel);
    this.reasoningEffort = str(data.reasoningEffort) ?? this.reasoningEffort;
    const context = obj(data.context);
    if (context) {
      this.cwd = str(context.cwd) ?? this.cwd;
      this.repository = str(context.repository) ?? str(context.gitRoot) ?? this.repository;
      this.branch = str(context.branch) ?? this.branch;
    }
  }

  private onMessage(data: Json): void {
    this.nAssistantMessages += 1;
    this.model(data.model);
    for (const item of arr(data.toolRequests) ?? []) {
      const request = obj(item);
      const id = str(request?.toolCallId);
      const name = str(request?.name);
      if (id !== undefined && name !== undefined) this.tools.request(id, name);
    }
    this.turns.message(str(data.content), count(data.outputTokens));
  }

  private onToolStart(data: Json, at: string | undefined): void {
    const name = str(data.toolName) ?? "unknown";
    this.model(data.model);
    this.tools.start(str(data.toolCallId), name, isoMs(at));
    this.turns.tool(name);
  }

  private onToolComplete(data: Json, at: string | undefined): void {
    this.model(data.model);
    const metrics = obj(obj(data.toolTelemetry)?.metrics);
    // What the model was given: the result text, else the CLI's count of it (a failed call has
    // no result, only telemetry). docs/adr/0010-session-log-reading-rules.md
    const content = obj(data.result)?.content;
    const resultChars =
      typeof content === "string" ? content.length : (whole(metrics?.resultForLlmLength) ?? 0);
    const { name, started } = this.tools.complete(str(data.toolCallId), {
      success: data.success !== false,
      resultChars,
      ms: isoMs(at),
      durationMs: count(metrics?.durationMs),
      name: str(data.toolName),
    });
    if (!started) this.turns.tool(name);
    this.economics.sampleContext(count(metrics?.context_current_tokens));
  }

  private onUsageRecord(data: Json): void {
    this.economics.addUsageRecord(data);
    const u = obj(data.usage) ?? data;
    this.model(u.model);
    const output = count(u.outputTokens);
    const turnId = this.turns.usage(output);
    const nano = num(obj(u.copilotUsage)?.totalNanoAiu) ?? num(u.totalNanoAiu);
    const input = count(u.inputTokens);
    const model = this.names.get(str(u.model)) ?? null;
    this.usageCalls.push({
      turn_id: turnId,
      interaction_id: null,
      request_model: model,
      response_model: model,
      input_tokens: input,
      cache_read_input_tokens: count(u.cacheReadTokens) ?? (input !== undefined ? 0 : undefined),
      cache_creation_input_tokens: count(u.cacheWriteTokens) ?? (input !== undefined ? 0 : undefined),
      output_tokens: output,
      aiu: nano === undefined || u.aiCreditsStatus === "unavailable" ? undefined : nano / 1e9,
      server_duration_ms: count(u.duration),
      current_tokens: undefined,
      token_limit: count(u.maxPromptTokens),
      start_ms: undefined,
      end_ms: undefined,
    });
  }

  private model(value: unknown): void {
    if (typeof value !== "string" || value === "" || this.modelSet.has(value)) return;
    this.modelSet.add(value);
    this.models.push(value);
  }

  private warn(kind: string, message: unknown, at: string | undefined): void {
    this.nSessionWarnings += 1;
    if (this.warnings.length >= MAX_WARNINGS) return;
    this.warnings.push({
      source: "session",
      kind,
      message: typeof message === "string" ? message : "",
      timestamp: at ?? null,
    });
  }
}
