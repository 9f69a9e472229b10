import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { CUT_MARK, MAX_CONTENT_CHARS } from "../../../src/session/_trajectory-agent.ts";
import { analyzeSession } from "../../../src/session/analysis.ts";
import { buildTrajectory, trajectoryFromText } from "../../../src/session/trajectory.ts";
import type { SessionAnalysis } from "../../../src/store/session-schema.ts";
import type { Step, Trajectory } from "../../../src/store/trajectory-schema.ts";
import { atifProblems } from "../../helpers/atif-check.ts";
import { PROJECT_ROOT, SHARED_SESSIONS } from "../../helpers/cli.ts";
import { sharedSessionNames, skippedWithoutSharedSessions } from "../../helpers/shared-sessions.ts";
import { tempDir } from "../../helpers/tmp.ts";

/**
 * The session log as an ATIF-v1.7 trajectory (docs/adr/0015): valid by the RFC's required fields
 * (an independent checker, and the published JSON Schema through ajv), the same tool calls and
 * results as the log read directly, and token figures equal to the analysis's and to the
 * hand-checked values of ../shared/sessions/expected.json.
 */

type J = Record<string, unknown>;
const FIXTURES = join(PROJECT_ROOT, "test/fixtures/sessions");
const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, "docs/schemas/trajectory.schema.json"), "utf8"));
const validate = new Ajv2020({ strict: false }).compile(schema);

async function convert(dir: string): Promise<{ analysis: SessionAnalysis; trajectory: Trajectory }> {
  const otel = join(dir, "copilot-otel.jsonl");
  const eventsPath = join(dir, "events.jsonl");
  const analysis = await analyzeSession({ eventsPath, otelPath: existsSync(otel) ? otel : undefined });
  return { analysis, trajectory: await buildTrajectory(eventsPath, analysis) };
}

const events = (dir: string): J[] =>
  readFileSync(join(dir, "events.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

const agentSteps = (t: Trajectory) => t.steps.filter((s) => s.source === "agent");
const allCalls = (steps: Step[]) =>
  steps.flatMap((s) =>
    (s.tool_calls ?? []).map((c) => ({
      id: c.tool_call_id,
      name: c.function_name,
      args: c.arguments,
      result: s.observation?.results.find((r) => r.source_call_id === c.tool_call_id),
    })),
  );

/** Tool calls as the log says them: request (name, arguments) and completion (result or error). */
function logCalls(list: J[]) {
  const byId = new Map<string, { name: string; args: unknown; content?: string; success?: boolean }>();
  for (const e of list) {
    const d = e.data as J;
    if (e.type === "tool.execution_start")
      byId.set(d.toolCallId as string, { name: d.toolName as string, args: d.arguments });
    if (e.type === "tool.execution_complete") {
      const c = byId.get(d.toolCallId as string)!;
      c.success = d.success as boolean;
      c.content = ((d.result as J)?.content ?? (d.error as J)?.message) as string;
    }
  }
  return byId;
}

describe("recorded sessions as ATIF trajectories", () => {
  if (skippedWithoutSharedSessions("trajectories of the recorded sessions")) return;
  const expected: Record<string, J> = JSON.parse(
    readFileSync(join(SHARED_SESSIONS, "expected.json"), "utf8"),
  );

  for (const name of sharedSessionNames()) {
    test(`${name}: valid, the log's calls, our figures`, async () => {
      const dir = join(SHARED_SESSIONS, name);
      const { analysis, trajectory: t } = await convert(dir);
      expect(atifProblems(t)).toEqual([]);
      expect(validate(t)).toBe(true);

      // The same calls, names, arguments, results as the log (both CLI generations).
      const fromLog = logCalls(events(dir));
      const calls = allCalls(t.steps);
      expect(calls.map((c) => c.id).sort()).toEqual([...fromLog.keys()].sort());
      for (const c of calls) {
        const l = fromLog.get(c.id)!;
        expect(c.name).toBe(l.name);
        expect(c.args).toEqual(typeof l.args === "string" ? { input: l.args } : (l.args as J));
        expect(c.result?.content).toBe(l.content);
        expect(c.result?.extra?.success).toBe(l.success);
      }

      // Figures: one agent step per turn; completion tokens = the turn's output tokens.
      const steps = agentSteps(t);
      const e = expected[name]!;
      expect(steps).toHaveLength(e.n_turns as number);
      expect(calls).toHaveLength(e.n_tool_calls as number);
      expect(calls.filter((c) => c.result?.extra?.success === false)).toHaveLength(
        e.n_tool_failures as number,
      );
      const byName: Record<string, number> = {};
      for (const c of calls) byName[c.name] = (byName[c.name] ?? 0) + 1;
      expect(byName).toEqual(e.tool_calls_by_name as Record<string, number>);
      steps.forEach((s, i) => {
        expect(s.metrics?.completion_tokens).toBe(analysis.turns[i]!.output_tokens!);
      });
      expect(steps.reduce((n, s) => n + (s.metrics?.completion_tokens ?? 0), 0)).toBe(
        e.output_tokens as number,
      );
      const f = t.final_metrics!;
      expect(f.total_prompt_tokens).toBe(e.input_tokens_total as number);
      expect(f.total_completion_tokens).toBe(e.output_tokens as number);
      if (e.cache_read_tokens !== undefined)
        expect(f.total_cached_tokens).toBe(e.cache_read_tokens as number);
      expect(f.total_steps).toBe(t.steps.length);
      expect(f.extra?.aiu ?? null).toBe((e.aiu as number | undefined) ?? null);
      // Per step, prompt tokens sum to the session's input total when every request is a turn's.
      const prompts = steps.map((s) => s.metrics?.prompt_tokens);
      expect(prompts.every((p) => typeof p === "number")).toBe(true);
      expect(prompts.reduce((n, p) => n! + p!, 0)).toBe(e.input_tokens_total as number);
      const last = steps.at(-1)!;
      expect(last.message.length).toBeGreaterThan(0);
      expect(last.tool_calls).toBeUndefined();
    });
  }

  test("1.0.102: each step's prompt tokens are its turn's session.usage_record, read directly", async () => {
    for (const name of ["byok-1.0.102-fixer", "byok-1.0.102-failtool"]) {
      const dir = join(SHARED_SESSIONS, name);
      const perTurn: number[] = [];
      for (const e of events(dir)) {
        if (e.type === "assistant.turn_start") perTurn.push(0);
        if (e.type === "session.usage_record")
          perTurn[perTurn.length - 1]! += ((e.data as J).usage as J).inputTokens as number;
      }
      const { trajectory } = await convert(dir);
      expect(agentSteps(trajectory).map((s) => s.metrics?.prompt_tokens)).toEqual(perTurn);
    }
  });

  test("1.0.102: a failed call and a shell call that exits 3", async () => {
    const { trajectory } = await convert(join(SHARED_SESSIONS, "byok-1.0.102-failtool"));
    const calls = allCalls(trajectory.steps);
    expect(calls.map((c) => [c.name, c.result?.extra?.success, c.result?.extra?.exit_code])).toEqual([
      ["view", false, undefined],
      ["bash", true, 3],
    ]);
    expect(calls[0]!.result?.extra?.error).toBe("Path does not exist");
  });
});

describe("a session with a sub-agent, reasoning, a model change, an error and a compaction", () => {
  const dir = join(FIXTURES, "subagent-reasoning");

  test("valid ATIF; the sub-agent is embedded and referenced from the task call", async () => {
    const { analysis, trajectory: t } = await convert(dir);
    expect(atifProblems(t)).toEqual([]);
    expect(validate(t)).toBe(true);
    expect(t.subagent_trajectories).toHaveLength(1);
    const sub = t.subagent_trajectories![0]!;
    expect(sub.agent).toMatchObject({ name: "explore", model_name: "model-b" });
    expect(sub.extra).toMatchObject({ status: "completed", display_name: "Explore", duration_ms: 900 });
    expect(allCalls(sub.steps).map((c) => [c.name, c.result?.content])).toEqual([
      ["grep", "src/app.py:3: import missing"],
    ]);
    const task = allCalls(t.steps).find((c) => c.name === "task")!;
    expect(task.result?.subagent_trajectory_ref).toEqual([
      { trajectory_id: sub.trajectory_id!, extra: { status: "completed" } },
    ]);
    // Main steps and sub-agent steps together are the analysis's turns, each with its own figures.
    const figures = [...agentSteps(t), ...agentSteps(sub)]
      .map((s) => [
        s.extra?.turn,
        s.metrics?.completion_tokens,
        s.metrics?.prompt_tokens,
        s.metrics?.cached_tokens,
      ])
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(figures).toEqual([
      [1, 40, 1000, 200],
      [2, 15, 500, 0],
      [3, 12, 600, 0],
      [4, 55, 1300, 900],
      [5, 30, 1500, 1200],
    ]);
    expect(figures.map((f) => f[1])).toEqual(analysis.turns.map((x) => x.output_tokens));
    expect(t.final_metrics).toMatchObject({
      total_prompt_tokens: 4900,
      total_completion_tokens: 152,
      total_cached_tokens: 2300,
    });
  });

  test("reasoning, system steps for model change, error and compaction; exit code and duration", async () => {
    const { trajectory: t } = await convert(dir);
    const [first, second] = agentSteps(t);
    expect(first!.reasoning_content).toBe("The log says the import fails; an explorer can find where.");
    expect(second!.reasoning_content).toBe("Remove the import, then run the build.");
    expect(
      t.steps.map((s): [string, string | null] => [s.source, (s.extra?.event as string) ?? null]),
    ).toEqual([
      ["user", null],
      ["system", null],
      ["agent", null],
      ["system", "session.model_change"],
      ["system", "session.error"],
      ["system", "session.compaction_complete"],
      ["agent", null],
      ["agent", null],
    ]);
    expect(t.steps[3]!.message).toBe("Model changed from model-a to model-c.");
    expect(t.steps[4]!.message).toBe("Error (rate_limit): 429 Too Many Requests");
    expect(t.steps[5]!.extra).toMatchObject({
      context_management: "compaction",
      pre_tokens: 90000,
      post_tokens: 12000,
    });
    const bash = allCalls(t.steps).find((c) => c.name === "bash")!;
    expect(bash.result?.extra).toMatchObject({ success: true, exit_code: 2, duration_ms: 1500 });
    expect(second!.model_name).toBe("model-c");
  });

  test("the same conversion from text in memory", async () => {
    const { analysis, trajectory } = await convert(dir);
    expect(trajectoryFromText(readFileSync(join(dir, "events.jsonl"), "utf8"), analysis)).toEqual(trajectory);
  });
});

test("a text longer than the limit keeps its head and tail, and its length", async () => {
  const dir = tempDir("cx-traj-");
  const long = `first line\n${"x".repeat(MAX_CONTENT_CHARS)}\nFAILED (failures=2)`;
  const lines = [
    {
      type: "session.start",
      data: { sessionId: "s", copilotVersion: "1.0.102" },
      timestamp: "2026-01-01T00:00:00.000Z",
    },
    { type: "assistant.turn_start", data: { turnId: "0" }, timestamp: "2026-01-01T00:00:01.000Z" },
    {
      type: "assistant.message",
      data: { content: "", toolRequests: [{ toolCallId: "c1", name: "apply_patch", arguments: long }] },
      timestamp: "2026-01-01T00:00:01.500Z",
    },
    {
      type: "tool.execution_complete",
      data: { toolCallId: "c1", success: true, result: { content: long } },
      timestamp: "2026-01-01T00:00:02.000Z",
    },
  ];
  writeFileSync(join(dir, "events.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
  const { trajectory: t } = await convert(dir);
  expect(atifProblems(t)).toEqual([]);
  const call = t.steps[0]!.tool_calls![0]!;
  expect((call.arguments.input as string).length).toBe(MAX_CONTENT_CHARS);
  expect(call.extra).toEqual({ arguments_format: "text", arguments_chars: long.length });
  const result = t.steps[0]!.observation!.results[0]!;
  expect(result.content!.length).toBe(MAX_CONTENT_CHARS);
  expect(result.extra?.content_chars).toBe(long.length);
  for (const text of [result.content!, call.arguments.input as string]) {
    expect(text.startsWith("first line\nxxx")).toBe(true);
    expect(text.endsWith("xxx\nFAILED (failures=2)")).toBe(true);
    expect(text.split(CUT_MARK).length).toBe(2);
  }
});

test("the checker rejects what the RFC forbids (control)", () => {
  const ok = {
    schema_version: "ATIF-v1.7",
    agent: { name: "a", version: "1" },
    steps: [
      {
        step_id: 1,
        source: "agent",
        message: "",
        tool_calls: [{ tool_call_id: "c", function_name: "f", arguments: {} }],
      },
    ],
  };
  expect(atifProblems(ok)).toEqual([]);
  const broken = (f: (t: J) => void) => {
    const t = structuredClone(ok) as J;
    f(t);
    return atifProblems(t).length;
  };
  expect(broken((t) => delete (t.agent as J).version)).toBe(1);
  expect(broken((t) => ((t.steps as J[])[0]!.step_id = 2))).toBe(1);
  expect(broken((t) => ((t.steps as J[])[0]!.source = "user"))).toBe(1);
  expect(broken((t) => ((t.steps as J[])[0]!.observation = { results: [{ source_call_id: "x" }] }))).toBe(1);
  expect(broken((t) => ((t.steps as J[])[0]!.bogus = 1))).toBe(1);
  expect(
    broken(
      (t) =>
        (t.subagent_trajectories = [
          { schema_version: "ATIF-v1.7", agent: { name: "s", version: "1" }, steps: [] },
        ]),
    ),
  ).toBe(1);
});
