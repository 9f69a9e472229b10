import { appendFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Script, Step } from "./script.ts";
import { stepsFor } from "./script.ts";

/**
 * The built-in scripted model provider (README, "The scripted model provider"): an OpenAI-compatible chat-completions endpoint
 * on 127.0.0.1 with an ephemeral port. Each script is mounted under `/s/<key>/<task>/v1`, so one
 * server serves every variant and task of a run. The step to answer is derived from the request
 * itself (the number of assistant turns so far), so concurrent sessions never share state.
 */

export interface RecordedRequest {
  key: string;
  task: string;
  path: string;
  body: unknown;
}

export interface ScriptedProvider {
  port: number;
  /** Base URL (for COPILOT_PROVIDER_BASE_URL) of a script for a task. */
  baseUrl(key: string, task: string): string;
  /** Requests received, when started with `record: true`. */
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

interface ChatMessage {
  role: string;
  content?: unknown;
}

interface ChatRequest {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
}

const PATH_ARGS = new Set(["path", "file", "filePath", "file_path"]);

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === "string" ? p.text : "")).join("");
  return "";
}

/** The session's working directory, which Copilot states in its system prompt. */
export function workingDirectoryOf(messages: ChatMessage[]): string | undefined {
  for (const m of messages) {
    if (m.role !== "system" && m.role !== "developer") continue;
    const match = /Current working directory:\s*(\S[^\n]*)/.exec(textOf(m.content));
    if (match) return match[1]!.trim();
  }
  return undefined;
}

/** Tool arguments with `{{cwd}}` replaced and relative path arguments made absolute. */
export function resolveArguments(
  args: Record<string, unknown>,
  cwd: string | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    let v = value;
    if (typeof v === "string" && cwd) {
      v = v.replaceAll("{{cwd}}", cwd);
      if (PATH_ARGS.has(key) && !isAbsolute(v as string)) v = join(cwd, v as string);
    }
    out[key] = v;
  }
  return out;
}

function defaultUsage(index: number) {
  return { input: 1000 + 100 * index, output: 20 + 5 * index, cached: 0, reasoning: 0 };
}

function completionFor(
  step: Step | undefined,
  index: number,
  script: Script,
  cwd: string | undefined,
  model: string,
) {
  const id = `sp-${index + 1}`;
  const usage = { ...defaultUsage(index), ...step?.usage };
  const calls = step?.tools ?? (step?.tool ? [{ tool: step.tool, args: step.args ?? {} }] : []);
  const toolCalls = calls.map((call, i) => ({
    id: `call_${index + 1}_${i}`,
    type: "function" as const,
    function: { name: call.tool, arguments: JSON.stringify(resolveArguments(call.args, cwd)) },
  }));
  const content = step ? (step.message ?? null) : script.final_message;
  return {
    id,
    model,
    content,
    toolCalls,
    finishReason: toolCalls.length > 0 ? "tool_calls" : "stop",
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: Math.min(usage.cached, usage.input) },
      completion_tokens_details: { reasoning_tokens: usage.reasoning },
    },
  };
}

function streamResponse(c: ReturnType<typeof completionFor>): Response {
  const base = {
    id: c.id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: c.model,
  };
  const delta: Record<string, unknown> = { role: "assistant" };
  if (c.content !== null) delta.content = c.content;
  if (c.toolCalls.length) delta.tool_calls = c.toolCalls.map((t, index) => ({ index, ...t }));
  const chunks = [
    { ...base, choices: [{ index: 0, delta, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: c.finishReason }] },
    { ...base, choices: [], usage: c.usage },
  ];
  const body = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("")}data: [DONE]\n\n`;
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

function jsonResponse(c: ReturnType<typeof completionFor>): Response {
  return Response.json({
    id: c.id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: c.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: c.content,
          ...(c.toolCalls.length ? { tool_calls: c.toolCalls } : {}),
        },
        finish_reason: c.finishReason,
      },
    ],
    usage: c.usage,
  });
}

export function startScriptedProvider(
  scripts: Map<string, Script>,
  opts: { record?: boolean; logFile?: string } = {},
): ScriptedProvider {
  const requests: RecordedRequest[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const match = /^\/s\/([^/]+)\/([^/]+)\/v1\/(.*)$/.exec(url.pathname);
      if (!match)
        return Response.json({ error: { message: `no script at ${url.pathname}` } }, { status: 404 });
      const [, key, task, endpoint] = match.map(decodeURIComponent) as [string, string, string, string];
      const script = scripts.get(key);
      if (!script) return Response.json({ error: { message: `unknown script ${key}` } }, { status: 404 });
      const model = script.model ?? key;
      if (endpoint === "models") {
        return Response.json({
          object: "list",
          data: [{ id: model, object: "model", owned_by: "copilot-experiments" }],
        });
      }
      if (endpoint !== "chat/completions" || req.method !== "POST") {
        return Response.json({ error: { message: `unsupported endpoint ${endpoint}` } }, { status: 404 });
      }
      let body: ChatRequest;
      try {
        body = (await req.json()) as ChatRequest;
      } catch {
        return Response.json({ error: { message: "request body is not JSON" } }, { status: 400 });
      }
      if (opts.record) requests.push({ key, task, path: url.pathname, body });
      if (opts.logFile) appendFileSync(opts.logFile, `${JSON.stringify({ key, task, body })}\n`);
      const messages = body.messages ?? [];
      const index = messages.filter((m) => m.role === "assistant").length;
      const step = stepsFor(script, task)[index];
      if (step?.delay_ms) await Bun.sleep(step.delay_ms);
      if (step?.error) {
        return Response.json(
          { error: { message: step.error.message, type: "scripted_error" } },
          { status: step.error.status },
        );
      }
      const completion = completionFor(
        step,
        index,
        script,
        workingDirectoryOf(messages),
        body.model ?? model,
      );
      return body.stream ? streamResponse(completion) : jsonResponse(completion);
    },
  });
  const port = server.port as number;
  return {
    port,
    baseUrl: (key, task) =>
      `http://127.0.0.1:${port}/s/${encodeURIComponent(key)}/${encodeURIComponent(task)}/v1`,
    requests,
    stop: async () => {
      await server.stop(true);
    },
  };
}
