import { createRng } from "../../src/statistics/index.ts";
import type { SessionAnalysis } from "../../src/store/session-schema.ts";

/**
 * A session log (events.jsonl, 1.0.102 shape) for a synthetic trial, consistent with its
 * analysis: the same turns at the same times, each turn's tools called with arguments and
 * answered with outputs whose sizes follow what recorded sessions show — most a few hundred
 * characters (globs, greps, edits), some a few kB (test runs), a few long (whole files) — plus
 * a system prompt, the task's prompt and the assistant's messages. Seeded per trial, so it does
 * not move any other figure of the tree.
 */

const LINES = [
  "def compute(a, b):",
  "    return a * b",
  "tests/test_module.py::test_edge_case PASSED",
  "E       assert 5 == 6",
  "src/module.py:14: in compute",
  "    if b == 0: raise ZeroDivisionError('division by zero')",
  "Ran 4 tests in 0.012s",
  "import os, sys",
];

export function syntheticSessionLog(
  a: SessionAnalysis,
  opts: { prompt: string; seed: number; hostile?: string },
): string {
  const rng = createRng(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  const text = (chars: number) => {
    const out: string[] = [];
    let n = 0;
    while (n < chars) {
      const line = `${pick(LINES)}  # ${Math.floor(rng() * 1e6)}`;
      out.push(line);
      n += line.length + 1;
    }
    return out.join("\n").slice(0, chars);
  };
  /** 50%: 40–400 characters; 35%: 400–2,500; 15%: 2,500–15,000. */
  const outputSize = () => {
    const r = rng();
    if (r < 0.5) return 40 + Math.floor(rng() * 360);
    if (r < 0.85) return 400 + Math.floor(rng() * 2100);
    return 2500 + Math.floor(rng() * 12500);
  };
  const events: object[] = [];
  const push = (type: string, data: object, at: string | null) =>
    events.push({ type, data, id: `e${events.length}`, timestamp: at ?? a.started_at, parentId: null });
  push(
    "session.start",
    {
      sessionId: a.session_id,
      copilotVersion: "1.0.102",
      startTime: a.started_at,
      selectedModel: a.models[0],
    },
    a.started_at,
  );
  push("user.message", { content: opts.prompt }, a.started_at);
  push("system.message", { role: "system", content: `You are a coding agent.\n${text(3000)}` }, a.started_at);
  let call = 0;
  for (const t of a.turns) {
    const start = t.started_at ? Date.parse(t.started_at) : Date.parse(a.started_at ?? "");
    const at = (ms: number) => new Date(start + ms).toISOString();
    push("assistant.turn_start", { turnId: t.turn_id }, at(0));
    const requests = t.tools.map((name) => {
      const id = `call_${call++}`;
      const args =
        name === "bash"
          ? {
              command: `python3 -m pytest -q tests/test_${Math.floor(rng() * 20)}.py`,
              description: "Run the tests",
            }
          : name === "edit"
            ? { path: "src/module.py", old_str: text(120), new_str: text(140) }
            : name === "create"
              ? { path: "src/new_module.py", file_text: text(600) }
              : name === "grep"
                ? { pattern: "def compute", path: "src" }
                : name === "glob"
                  ? { pattern: "**/*.py" }
                  : { path: "src/module.py" };
      return { toolCallId: id, name, arguments: args };
    });
    const content = opts.hostile && t.index === 1 ? `${t.preview} ${opts.hostile}` : t.preview;
    push(
      "assistant.message",
      { model: a.models[0], content, toolRequests: requests, outputTokens: t.output_tokens },
      at(50),
    );
    requests.forEach((r, j) => {
      push(
        "tool.execution_start",
        { toolCallId: r.toolCallId, toolName: r.name, arguments: r.arguments },
        at(100 + j * 10),
      );
      const body = text(outputSize());
      const exit = r.name === "bash" ? (rng() < 0.3 ? 1 : 0) : undefined;
      const result =
        exit === undefined
          ? body
          : `${body}${opts.hostile && j === 0 ? `\n${opts.hostile}` : ""}\n<shellId: 0 completed with exit code ${exit}>`;
      push(
        "tool.execution_complete",
        {
          toolCallId: r.toolCallId,
          success: true,
          result: { content: result },
          ...(exit !== undefined ? { shellExecution: { exitCode: exit } } : {}),
        },
        at(200 + j * 10),
      );
    });
    push("assistant.turn_end", { turnId: t.turn_id }, at(Math.max(300, (t.duration_s ?? 0) * 1000)));
  }
  push("session.shutdown", { shutdownType: "routine" }, a.finished_at);
  return `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;
}
