import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultRates } from "../../session/rates.ts";
import { sha256Hex } from "../../util/hash.ts";

/**
 * A realistic session as Copilot CLI 1.0.102 writes it (same event and span shapes as the
 * recorded `byok-1.0.102-*` sessions): `events.jsonl` plus `copilot-otel.jsonl`, with figures
 * that agree with each other (per-request records, spans and shutdown totals). Deterministic
 * given its inputs: ids are hashes of the session id, times offsets from `startTime`.
 */

export interface SyntheticToolCall {
  name: string;
  args: object;
  success: boolean;
  /** Result text (or error message when the call fails). */
  result?: string;
}

export interface SyntheticSessionOptions {
  dir: string;
  sessionId: string;
  model: string;
  cwd: string;
  startTime: Date;
  /** Assistant turns; default: one per tool call plus the final answer. */
  turns?: number;
  toolCalls?: SyntheticToolCall[];
  prompt?: string;
  finalMessage?: string;
  reasoningEffort?: string;
  /** A BYOK provider: Copilot reports credits as unavailable and no AIU. Default false (GitHub-hosted). */
  byok?: boolean;
  /** Default: each successful edit/create/apply_patch/write call adds a line to its `path`. */
  codeChanges?: { files: string[]; added: number; removed: number };
  copilotVersion?: string;
}

const EDIT_TOOLS = new Set(["edit", "create", "apply_patch", "write"]);
const SYSTEM_TOKENS = 4592;
const TOOL_DEFINITION_TOKENS = 5959;
const TOKEN_LIMIT = 128000;

function uuidFrom(seed: string): string {
  const h = sha256Hex(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function hexFrom(seed: string, length: number): string {
  return sha256Hex(seed).slice(0, length);
}

function hr(ms: number): [number, number] {
  const s = Math.floor(ms / 1000);
  return [s, Math.round((ms - s * 1000) * 1e6)];
}

function defaultCodeChanges(calls: readonly SyntheticToolCall[]) {
  const files: string[] = [];
  let added = 0;
  let removed = 0;
  for (const call of calls) {
    const path = (call.args as { path?: unknown }).path;
    if (!call.success || !EDIT_TOOLS.has(call.name) || typeof path !== "string") continue;
    if (!files.includes(path)) files.push(path);
    added += 1;
    if (call.name !== "create") removed += 1;
  }
  return { files, added, removed };
}

/** Which turn each tool call runs in: spread over all turns but the last (the final answer). */
function planTurns(nTurns: number, nCalls: number): number[] {
  const toolTurns = Math.max(1, nTurns - 1);
  return Array.from({ length: nCalls }, (_, j) => Math.floor((j * toolTurns) / nCalls));
}

export function writeSyntheticSession(opts: SyntheticSessionOptions): {
  eventsPath: string;
  otelPath: string;
} {
  const calls = opts.toolCalls ?? [];
  const nTurns = Math.max(1, opts.turns ?? calls.length + 1);
  const turnOf = planTurns(nTurns, calls.length);
  const byok = opts.byok ?? false;
  const version = opts.copilotVersion ?? "1.0.102";
  const changes = opts.codeChanges ?? defaultCodeChanges(calls);
  const rates = defaultRates(opts.model);
  const sid = opts.sessionId;
  let seq = 0;
  const nextId = () => uuidFrom(`${sid}:event:${seq++}`);
  const interactionId = uuidFrom(`${sid}:interaction`);
  const start = opts.startTime.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();

  const events: object[] = [];
  let parentId: string | null = null;
  const emit = (type: string, ms: number, data: object) => {
    const id = nextId();
    events.push({ type, data, id, timestamp: iso(ms), parentId });
    parentId = id;
  };
  const spans: object[] = [];
  const traceId = hexFrom(`${sid}:trace`, 32);
  const agentSpanId = hexFrom(`${sid}:span:agent`, 16);
  const resource = { attributes: { "service.name": "github-copilot", "service.version": version } };
  const span = (name: string, startMs: number, endMs: number, attributes: object, extra: object = {}) => ({
    type: "span",
    traceId,
    spanId: hexFrom(`${sid}:span:${spans.length}`, 16),
    parentSpanId: agentSpanId,
    name,
    kind: name.startsWith("chat") ? 2 : 0,
    startTime: hr(startMs),
    endTime: hr(endMs),
    attributes,
    status: { code: 0 },
    events: [],
    resource,
    instrumentationScope: { name: "github.copilot", version },
    ...extra,
  });

  let t = start + 200;
  emit("session.start", t, {
    sessionId: sid,
    version: 1,
    producer: "copilot-agent",
    copilotVersion: version,
    startTime: iso(start),
    selectedModel: opts.model,
    ...(opts.reasoningEffort ? { reasoningEffort: opts.reasoningEffort } : {}),
    contextTier: null,
    context: { cwd: opts.cwd, gitRoot: opts.cwd, branch: "main" },
    alreadyInUse: false,
    remoteSteerable: false,
  });
  t += 700;
  const prompt = opts.prompt ?? "Complete the task described in the workspace.";
  const userMessageId = uuidFrom(`${sid}:user-message`);
  const agentStart = t + 20;
  emit("user.message", t, {
    content: prompt,
    transformedContent: `<current_datetime>${iso(t)}</current_datetime>\n\n${prompt}`,
    messageId: userMessageId,
    supportedNativeDocumentMimeTypes: [],
    delivery: "idle",
    interactionId,
    turnId: "0",
  });
  t += 45;
  emit("system.message", t, {
    role: "system",
    content: "You are the GitHub Copilot CLI, a terminal assistant built by GitHub. (synthetic session)",
    interactionId,
  });

  const usageInfo: object[] = [];
  let totalIn = 0;
  let totalOut = 0;
  let totalRead = 0;
  let totalNano = 0;
  let totalApiMs = 0;
  let context = SYSTEM_TOKENS + TOOL_DEFINITION_TOKENS + 80;
  for (let k = 0; k < nTurns; k++) {
    const turnId = String(k);
    const turnCalls = calls.map((c, j) => ({ ...c, j })).filter((c) => turnOf[c.j] === k);
    const isLast = k === nTurns - 1;
    t += 5;
    emit("assistant.turn_start", t, { turnId, interactionId });
    const chatStart = t + 20;
    const duration = 150 + 10 * k;
    const chatEnd = chatStart + duration;
    const input = byok ? 1000 + 100 * k : 12000 + 400 * k;
    const cacheRead = byok || k === 0 ? 0 : 12000 + 400 * (k - 1);
    const output = 20 + 5 * k + 10 * turnCalls.length;
    const nano = (input - cacheRead) * rates.input + cacheRead * rates.cache_read + output * rates.output;
    const apiCallId = `synthetic-${k + 1}`;
    totalIn += input;
    totalOut += output;
    totalRead += cacheRead;
    totalNano += nano;
    totalApiMs += duration;
    usageInfo.push({
      name: "github.copilot.session.usage_info",
      time: hr(chatStart - 20),
      attributes: {
        "github.copilot.token_limit": TOKEN_LIMIT,
        "github.copilot.current_tokens": context,
        "github.copilot.messages_length": 2 + 2 * k,
      },
    });
    const toolCounts: Record<string, number> = {};
    for (const c of turnCalls) toolCounts[c.name] = (toolCounts[c.name] ?? 0) + 1;
    emit("session.usage_record", chatEnd + 5, {
      usage: {
        model: opts.model,
        modelDisplayName: opts.model,
        inputTokens: input,
        outputTokens: output,
        cacheReadTokens: cacheRead,
        cacheWriteTokens: 0,
        cost: 0,
        duration,
        initiator: k === 0 ? "user" : "agent",
        interactionType: "conversation-agent",
        isByok: byok,
        apiCallId,
        ...(byok ? { aiCreditsStatus: "unavailable" } : { copilotUsage: { totalNanoAiu: nano } }),
        maxPromptTokens: TOKEN_LIMIT,
        numToolCalls: turnCalls.length,
        toolCounts,
        finishReason: turnCalls.length > 0 ? "tool_calls" : "stop",
      },
    });
    const toolCallId = (j: number) => `call_${k + 1}_${j}`;
    const content = isLast
      ? (opts.finalMessage ?? "Done: the task is complete.")
      : k === 0
        ? "Let me look."
        : "";
    t = chatEnd + 25;
    emit("assistant.message", t, {
      messageId: uuidFrom(`${sid}:message:${k}`),
      originatingMessageId: userMessageId,
      model: opts.model,
      content,
      toolRequests: turnCalls.map((c) => ({
        toolCallId: toolCallId(c.j),
        name: c.name,
        arguments: c.args,
        type: "function",
      })),
      interactionId,
      turnId,
      apiCallId,
    });
    spans.push(
      span(`chat ${opts.model}`, chatStart, chatEnd, {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "github",
        "gen_ai.request.model": opts.model,
        "gen_ai.conversation.id": sid,
        "gen_ai.usage.input_tokens": input,
        "gen_ai.usage.output_tokens": output,
        ...(cacheRead > 0 ? { "gen_ai.usage.cache_read.input_tokens": cacheRead } : {}),
        "gen_ai.response.model": opts.model,
        "github.copilot.cost": 0,
        "github.copilot.server_duration": duration,
        "github.copilot.initiator": k === 0 ? "user" : "agent",
        ...(byok ? {} : { "github.copilot.nano_aiu": nano }),
        "github.copilot.turn_id": turnId,
        "github.copilot.interaction_id": interactionId,
      }),
    );
    for (const c of turnCalls) {
      t += 10;
      const toolStart = t;
      emit("tool.execution_start", t, {
        toolCallId: toolCallId(c.j),
        toolName: c.name,
        arguments: c.args,
        turnId,
        model: opts.model,
      });
      t += 30 + (c.j % 3) * 5;
      context += 50;
      const telemetry = { metrics: { context_token_limit: TOKEN_LIMIT, context_current_tokens: context } };
      emit("tool.execution_complete", t, {
        toolCallId: toolCallId(c.j),
        model: opts.model,
        interactionId,
        turnId,
        success: c.success,
        ...(c.success
          ? { result: { content: c.result ?? `${c.name} completed.` } }
          : { error: { message: c.result ?? "Tool failed.", code: "failure" } }),
        toolTelemetry: telemetry,
      });
      spans.push(
        span(`execute_tool ${c.name}`, toolStart, t, {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": c.name,
          "gen_ai.tool.call.id": toolCallId(c.j),
          "gen_ai.tool.type": "function",
        }),
      );
    }
    t += 30;
    emit("assistant.turn_end", t, { turnId });
    context += 40;
  }

  const modelUsage = {
    inputTokens: totalIn,
    outputTokens: totalOut,
    cacheReadTokens: totalRead,
    cacheWriteTokens: 0,
  };
  const credits = byok ? { aiCreditsStatus: "unavailable" } : {};
  const nanoTotal = byok ? 0 : totalNano;
  const modelMetric = {
    requests: { count: nTurns, cost: 0 },
    usage: modelUsage,
    totalNanoAiu: nanoTotal,
  };
  const codeChanges = {
    linesAdded: changes.added,
    linesRemoved: changes.removed,
    filesModified: changes.files,
  };
  emit("session.shutdown", t + 95, {
    accountingSnapshot: {
      totalPremiumRequestCost: 0,
      totalUserRequests: 1,
      totalNanoAiu: nanoTotal,
      ...credits,
      totalApiDurationMs: totalApiMs,
      sessionStartTime: iso(start),
      codeChanges: { ...codeChanges, filesModifiedCount: changes.files.length },
      modelMetrics: { [opts.model]: { ...modelMetric, ...credits } },
      currentModel: opts.model,
    },
    shutdownType: "routine",
    totalPremiumRequests: 0,
    totalNanoAiu: nanoTotal,
    totalApiDurationMs: totalApiMs,
    sessionStartTime: start,
    codeChanges,
    modelMetrics: { [opts.model]: modelMetric },
    currentModel: opts.model,
    currentTokens: context,
    systemTokens: SYSTEM_TOKENS,
    conversationTokens: context - SYSTEM_TOKENS - TOOL_DEFINITION_TOKENS,
    toolDefinitionsTokens: TOOL_DEFINITION_TOKENS,
  });

  spans.push(
    span(
      "invoke_agent",
      agentStart,
      t,
      {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": "github",
        "gen_ai.conversation.id": sid,
        "github.copilot.agent.type": "builtin",
        "gen_ai.usage.input_tokens": totalIn,
        "gen_ai.usage.output_tokens": totalOut,
        "github.copilot.turn_count": nTurns,
      },
      { parentSpanId: undefined, spanId: agentSpanId, events: usageInfo },
    ),
  );

  mkdirSync(opts.dir, { recursive: true });
  const eventsPath = join(opts.dir, "events.jsonl");
  const otelPath = join(opts.dir, "copilot-otel.jsonl");
  writeFileSync(eventsPath, `${events.map((e) => JSON.stringify(e)).join("\n")}\n`);
  writeFileSync(otelPath, `${spans.map((s) => JSON.stringify(s)).join("\n")}\n`);
  return { eventsPath, otelPath };
}
