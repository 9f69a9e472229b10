import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeSyntheticSession } from "../../src/copilot/fakes/synthetic-session.ts";
import { SessionAnalysisSchema } from "../../src/store/session-schema.ts";
import { runCli, SHARED_SESSIONS } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const RUN_ID = "20260301T100000Z_abc123";

/** A results tree with one run: two variants, one task, two trials, each with a synthetic session. */
function resultsTree(): string {
  const root = tempDir("cx-analyze-");
  const run = join(root, "results", "demo", RUN_ID);
  mkdirSync(run, { recursive: true });
  writeFileSync(
    join(run, "run.json"),
    JSON.stringify({ started_at: "2026-03-01T10:00:00Z", variants: [{ slug: "fast" }, { slug: "slow" }] }),
  );
  for (const variant of ["fast", "slow"]) {
    for (const trial of [1, 2]) {
      writeSyntheticSession({
        dir: join(run, "variants", variant, "tasks", "fix-bug", "trials", String(trial).padStart(3, "0")),
        sessionId: `${variant}-${trial}`,
        model: variant === "fast" ? "gpt-5.5" : "claude-opus-4.7",
        cwd: "/w",
        startTime: new Date("2026-03-01T10:00:00Z"),
        toolCalls: [{ name: "view", args: { path: "/w/a" }, success: true }],
      });
    }
  }
  return root;
}

function session(): { dir: string; events: string } {
  const dir = tempDir("cx-analyze-");
  const { eventsPath } = writeSyntheticSession({
    dir,
    sessionId: "e2e-session",
    model: "claude-opus-4.7",
    cwd: "/w",
    startTime: new Date("2026-03-01T10:00:00Z"),
    turns: 8,
    toolCalls: [
      { name: "view", args: { path: "/w/a" }, success: false },
      { name: "edit", args: { path: "/w/a" }, success: true },
    ],
  });
  return { dir, events: eventsPath };
}

describe("analyze --file", () => {
  test("renders the analysis, loading the sibling OTel file", async () => {
    const { events } = session();
    const { code, stdout, stderr } = await runCli(["analyze", "--file", events], {
      env: { COLUMNS: "80" },
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Session e2e-session");
    expect(stdout).toContain("LLM calls");
    expect(stdout).toContain("tool calls 2 (1 failed)");
    expect(stdout).not.toContain("\x1b[");
    for (const line of stdout.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
  });

  test("--json prints the analysis object on stdout", async () => {
    const { events } = session();
    const { code, stdout } = await runCli(["analyze", "--file", events, "--json"]);
    expect(code).toBe(0);
    const analysis = SessionAnalysisSchema.parse(JSON.parse(stdout));
    expect(analysis.session_id).toBe("e2e-session");
    expect(analysis.n_turns).toBe(8);
    expect(analysis.llm_calls_source).toBe("otel");
    expect(analysis.n_llm_calls).toBe(8);
  });

  test("--otel-file names the OTel file; without one the calls come from the session log", async () => {
    const { dir, events } = session();
    const moved = join(tempDir(), "elsewhere.jsonl");
    writeFileSync(moved, await Bun.file(join(dir, "copilot-otel.jsonl")).text());
    const lonely = join(tempDir(), "events.jsonl");
    writeFileSync(lonely, await Bun.file(events).text());
    const withOtel = JSON.parse(
      (await runCli(["analyze", "--file", lonely, "--otel-file", moved, "--json"])).stdout,
    );
    expect(withOtel.llm_calls_source).toBe("otel");
    const without = JSON.parse((await runCli(["analyze", "--file", lonely, "--json"])).stdout);
    expect(without.llm_calls_source).toBe("usage_record");
    expect(without.n_llm_calls).toBe(8);
  });

  test("--max-turns limits the timeline", async () => {
    const { events } = session();
    const { stdout } = await runCli(["analyze", "--file", events, "--max-turns", "3"]);
    expect(stdout).toContain("… 5 more turns");
    const bad = await runCli(["analyze", "--file", events, "--max-turns", "zero"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-turns expects an integer");
  });

  test.skipIf(!existsSync(join(SHARED_SESSIONS, "real-gpt-5.5")))(
    "reads a recorded session in place",
    async () => {
      const { code, stdout } = await runCli([
        "analyze",
        "--json",
        "--file",
        join(SHARED_SESSIONS, "real-gpt-5.5", "events.jsonl"),
      ]);
      expect(code).toBe(0);
      const analysis = JSON.parse(stdout);
      expect(analysis.economics.aiu).toBeCloseTo(8.6683, 6);
      expect(analysis.n_llm_calls).toBe(5);
    },
  );

  test("a missing file, a missing OTel file and no selector are user errors (exit 2)", async () => {
    const { events } = session();
    const missing = await runCli(["analyze", "--file", join(tempDir(), "none.jsonl")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("session log not found");
    const otel = await runCli(["analyze", "--file", events, "--otel-file", join(tempDir(), "none.jsonl")]);
    expect(otel.code).toBe(2);
    expect(otel.stderr).toContain("OTel file not found");
    const none = await runCli(["analyze", "--root", tempDir()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("analyze needs a run");
    expect(none.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("analyze RUN", () => {
  test("--last takes the first variant, task and trial; selectors pick another", async () => {
    const root = resultsTree();
    const last = await runCli(["analyze", "--last", "--root", root, "--json"]);
    expect(last.code).toBe(0);
    expect(JSON.parse(last.stdout).session_id).toBe("fast-1");
    const picked = await runCli([
      "analyze",
      "20260301",
      "--root",
      root,
      "--variant",
      "slow",
      "--trial",
      "2",
      "--json",
    ]);
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout)).toMatchObject({ session_id: "slow-2", models: ["claude-opus-4.7"] });
  });

  test("an unknown run or variant is a user error", async () => {
    const root = resultsTree();
    const run = await runCli(["analyze", "nope", "--root", root]);
    expect(run.code).toBe(2);
    const variant = await runCli(["analyze", "--last", "--root", root, "--variant", "medium"]);
    expect(variant.code).toBe(2);
    expect(variant.stderr).toContain("medium");
  });
});
