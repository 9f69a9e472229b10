import { expect } from "bun:test";
import { readFileSync } from "node:fs";
import type { Locator } from "playwright-core";
import { CUT_MARK } from "../../src/report/_budget.ts";

/**
 * The session log's tool calls read directly (the test's own reading of events.jsonl), and the
 * calls a transcript shows in the page: the two must say the same.
 */

export interface LogCall {
  id: string;
  name: string;
  args: unknown;
  content: string | null;
  success: boolean | null;
  exitCode: number | null;
}

/** Tool calls of a log, in the order they started (sub-agents' included). */
export function logCalls(eventsPath: string): LogCall[] {
  const calls = new Map<string, LogCall>();
  for (const line of readFileSync(eventsPath, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line);
    const d = e.data ?? {};
    if (e.type === "tool.execution_start")
      calls.set(d.toolCallId, {
        id: d.toolCallId,
        name: d.toolName,
        args: d.arguments,
        content: null,
        success: null,
        exitCode: null,
      });
    if (e.type === "tool.execution_complete") {
      const c = calls.get(d.toolCallId)!;
      c.content = d.result?.content ?? d.error?.message ?? null;
      c.success = d.success;
      c.exitCode = d.shellExecution?.exitCode ?? null;
    }
  }
  return [...calls.values()];
}

/** The final assistant message of a log. */
export function lastMessage(eventsPath: string): string {
  let last = "";
  for (const line of readFileSync(eventsPath, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line);
    if (e.type === "assistant.message" && e.data?.content) last = e.data.content;
  }
  return last;
}

export interface ShownCall {
  id: string;
  tool: string;
  command: string | null;
  args: string;
  output: string | null;
  exit: string | null;
  cutNote: string | null;
}

/** The calls a transcript shows, as text (the whole text the page holds, folded or not). */
export function shownCalls(detail: Locator): Promise<ShownCall[]> {
  return detail.locator(".transcript .tx-call").evaluateAll((els) =>
    els.map((el) => {
      const q = (sel: string) => el.querySelector(`:scope > ${sel}, :scope > .fold > ${sel}`);
      const args = q('[data-role="call-args"]')!;
      const out = q('[data-role="call-output"]');
      return {
        id: el.getAttribute("data-call-id")!,
        tool: el.getAttribute("data-tool")!,
        command: args.getAttribute("data-command"),
        args: args.textContent!,
        output: out ? out.textContent : null,
        exit: el.querySelector(":scope > .tx-call-head .exit")?.textContent ?? null,
        cutNote: el.querySelector(':scope > .fold [data-role="cut-note"]')?.textContent ?? null,
      };
    }),
  );
}

/**
 * Each shown call is the log's: same id, tool and arguments; its output the log's result, whole,
 * or — when cut — its head and tail around the cut mark, with the full length in its note.
 */
export function expectSameCalls(shown: ShownCall[], log: LogCall[]): void {
  expect(shown.map((c) => [c.id, c.tool])).toEqual(log.map((c) => [c.id, c.name]));
  shown.forEach((s, i) => {
    const l = log[i]!;
    const args = l.args as Record<string, unknown>;
    if (s.command !== null) expect(s.command).toBe(args.command as string);
    else if (!s.args.includes("characters in all]")) {
      expect(typeof l.args === "string" ? s.args : JSON.parse(s.args)).toEqual(l.args as object);
    }
    if (l.content === null) {
      expect(s.output).toBeNull();
      return;
    }
    if (s.cutNote === null) {
      expect(s.output).toBe(l.content);
      return;
    }
    const [head, tail] = s.output!.split(CUT_MARK);
    expect(l.content.startsWith(head!)).toBe(true);
    expect(l.content.endsWith(tail!)).toBe(true);
    expect(s.cutNote).toContain(`of ${l.content.length.toLocaleString("en-US")} characters`);
  });
}
