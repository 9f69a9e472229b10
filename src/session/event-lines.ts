import { forEachLine } from "./reader.ts";

/**
 * A session log's events, one line each, for `inspect`: what an event is about, and the last K
 * events of a log of any size (streamed, with a ring buffer).
 */

export interface EventLine {
  time: string | null;
  type: string;
  summary: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function preview(text: unknown, max = 120): string {
  const flat = String(text ?? "")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function toolArgs(args: unknown): string {
  const a = obj(args);
  const main = str(a.command) ?? str(a.path) ?? str(a.pattern) ?? str(a.url) ?? str(a.query);
  return main !== undefined ? preview(main, 100) : preview(JSON.stringify(args ?? {}), 100);
}

/** One line that says what an event is about. */
export function summarizeEvent(event: Json, toolNames: Map<string, string>): string {
  const d = obj(event.data);
  switch (event.type) {
    case "session.start":
    case "session.resume":
      return `copilot ${str(d.copilotVersion) ?? "?"} · model ${str(d.selectedModel) ?? "?"}`;
    case "session.model_change":
      return `model → ${str(d.newModel) ?? "?"}`;
    case "user.message":
    case "system.message":
      return preview(d.content);
    case "assistant.turn_start":
    case "assistant.turn_end":
      return `turn ${str(d.turnId) ?? "?"}`;
    case "assistant.message": {
      const requests = Array.isArray(d.toolRequests)
        ? d.toolRequests.map((r) => str(obj(r).name) ?? "?")
        : [];
      const text = preview(d.content);
      if (text) return text;
      return requests.length ? `→ ${requests.join(", ")}` : "(empty)";
    }
    case "tool.execution_start":
      return `${str(d.toolName) ?? "?"} ${toolArgs(d.arguments)}`.trim();
    case "tool.execution_complete": {
      const name = toolNames.get(str(d.toolCallId) ?? "") ?? str(d.toolName) ?? "tool";
      const exit = obj(d.shellExecution).exitCode;
      const code = typeof exit === "number" ? ` (exit ${exit})` : "";
      if (d.success === false)
        return `${name} FAILED${code}: ${preview(obj(d.error).message ?? obj(d.result).content, 90)}`;
      return `${name} ok${code}`;
    }
    case "session.usage_record": {
      const u = obj(d.usage);
      return `${str(u.model) ?? "?"}: ${u.inputTokens ?? "?"} in · ${u.outputTokens ?? "?"} out · ${u.duration ?? "?"} ms`;
    }
    case "session.shutdown":
      return `${str(d.shutdownType) ?? "shutdown"} · ${d.totalPremiumRequests ?? "?"} premium requests · API ${d.totalApiDurationMs ?? "?"} ms`;
    case "session.warning":
    case "session.error":
      return preview(d.message ?? d.errorType);
    default: {
      const scalars = Object.entries(d).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v));
      return preview(scalars.map(([k, v]) => `${k}=${v}`).join(" "));
    }
  }
}

/** The last `k` events of a session log, one line each, and the number of events in it. */
export async function lastEvents(path: string, k: number): Promise<{ events: EventLine[]; total: number }> {
  // A circular buffer: the session log may have millions of lines, only the last k are kept.
  const ring: string[] = new Array(Math.max(0, k));
  const toolNames = new Map<string, string>();
  let total = 0;
  let cwd: string | undefined;
  await forEachLine(path, (line) => {
    if (!line.trim()) return;
    total += 1;
    if (line.includes('"tool.execution_start"') || (cwd === undefined && line.includes('"session.start"'))) {
      try {
        const event = JSON.parse(line) as Json;
        const d = obj(event.data);
        if (event.type === "tool.execution_start")
          toolNames.set(str(d.toolCallId) ?? "", str(d.toolName) ?? "?");
        if (event.type === "session.start") cwd = str(obj(d.context).cwd);
      } catch {}
    }
    if (k > 0) ring[(total - 1) % k] = line;
  });
  const kept = Math.min(k, total);
  const ordered = Array.from({ length: kept }, (_, i) => ring[(total - kept + i) % k]!);
  const events = ordered.map((line): EventLine => {
    try {
      // Paths inside the workspace read better relative to it.
      const event = JSON.parse(cwd ? line.replaceAll(`${cwd}/`, "") : line) as Json;
      const summary = summarizeEvent(event, toolNames);
      return { time: str(event.timestamp) ?? null, type: str(event.type) ?? "?", summary };
    } catch {
      return { time: null, type: "(malformed)", summary: preview(line, 80) };
    }
  });
  return { events, total };
}
