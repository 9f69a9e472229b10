import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { forEachLine } from "../session/reader.ts";
import { ARTIFACTS } from "../store/layout.ts";
import type { FlatMetrics } from "../store/reader.ts";
import { type TrialMeta, TrialMetaSchema, type VerifyResult } from "../store/schema.ts";

/**
 * `inspect`: one trial as plain data — meta, metrics, the tail of the verify output, the diff
 * stat of workspace.diff and the last K session events, each summed up in one line. Session
 * logs and diffs are streamed: memory stays bounded for files of any size.
 */

export interface DiffFileStat {
  path: string;
  added: number;
  removed: number;
  binary: boolean;
}

export interface DiffStat {
  files: DiffFileStat[];
  added: number;
  removed: number;
}

export interface EventLine {
  time: string | null;
  type: string;
  summary: string;
}

export interface TrialInspection {
  dir: string;
  meta: TrialMeta;
  metrics: FlatMetrics | null;
  verify: (Omit<VerifyResult, "output" | "runs"> & { output_tail: string; n_runs: number }) | null;
  diff: DiffStat | null;
  events: EventLine[];
  /** Events in the whole session log (null without one). */
  n_events: number | null;
  /** Artifact files present in the trial folder. */
  artifacts: string[];
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

function tail(text: string, lines: number): string {
  const all = text.replace(/\s+$/, "").split("\n");
  return all.slice(-lines).join("\n");
}

/** Files changed with lines added/removed, from a unified git diff (hunk lines only). */
export async function readDiffStat(path: string): Promise<DiffStat> {
  const files: DiffFileStat[] = [];
  let current: DiffFileStat | undefined;
  let inHunk = false;
  await forEachLine(path, (line) => {
    if (line.startsWith("diff --git ")) {
      const match = / b\/(.*)$/.exec(line);
      current = { path: match?.[1] ?? line.slice(11), added: 0, removed: 0, binary: false };
      files.push(current);
      inHunk = false;
    } else if (!current) {
      return;
    } else if (line.startsWith("@@")) {
      inHunk = true;
    } else if (!inHunk && line.startsWith("Binary files ")) {
      current.binary = true;
    } else if (inHunk && line.startsWith("+")) {
      current.added += 1;
    } else if (inHunk && line.startsWith("-")) {
      current.removed += 1;
    }
  });
  return {
    files,
    added: files.reduce((s, f) => s + f.added, 0),
    removed: files.reduce((s, f) => s + f.removed, 0),
  };
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

export async function inspectTrial(
  dir: string,
  opts: { events?: number; verifyLines?: number } = {},
): Promise<TrialInspection> {
  if (!existsSync(join(dir, ARTIFACTS.meta))) {
    throw new UserError(`this trial never finished: no ${ARTIFACTS.meta} in ${dir}`, {
      hint: "It was interrupted before its end; `run --resume` runs it again.",
    });
  }
  const meta = TrialMetaSchema.parse(readJson(join(dir, ARTIFACTS.meta)));
  const at = (name: string) => join(dir, name);
  const metrics = existsSync(at(ARTIFACTS.metrics)) ? (readJson(at(ARTIFACTS.metrics)) as FlatMetrics) : null;
  let verify: TrialInspection["verify"] = null;
  if (existsSync(at(ARTIFACTS.verify))) {
    const { output, runs, ...rest } = readJson(at(ARTIFACTS.verify)) as VerifyResult;
    verify = { ...rest, output_tail: tail(output ?? "", opts.verifyLines ?? 15), n_runs: runs?.length ?? 0 };
  }
  const diff = existsSync(at(ARTIFACTS.diff)) ? await readDiffStat(at(ARTIFACTS.diff)) : null;
  const log = existsSync(at(ARTIFACTS.events))
    ? await lastEvents(at(ARTIFACTS.events), opts.events ?? 10)
    : null;
  const artifacts = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  const inspection: TrialInspection = {
    dir,
    meta,
    metrics,
    verify,
    diff,
    events: log?.events ?? [],
    n_events: log?.total ?? null,
    artifacts,
  };
  return inspection;
}
