import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import { COPILOT } from "../helpers/example-root.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, the compiled binary): a minute per test unless it says otherwise.
setDefaultTimeout(60_000);

/**
 * Variants that shape the agent's context, with the real Copilot CLI under per-trial home
 * isolation. The scripted provider logs every request it receives, so the tests read exactly
 * what the model was given.
 */

const MARKERS = {
  instructions: "INSTRUCTIONS-MARKER-4242",
  agent: "AGENT-PROMPT-MARKER-9191",
  skill: "SKILL-MARKER-7788",
};
const MAGIC_KEY = "magic-mcp-secret-value-31337";

const EXPERIMENT = `name: Context
keep_workspaces: all
task:
  name: t
  prompt: Say hello.
  fixture: fixtures/app
  verify: "true"
variants:
  - name: baseline
    provider: {script: idle}
  - name: instructed
    provider: {script: idle}
    instructions: "${MARKERS.instructions}: prefer tiny diffs."
  - name: agent
    provider: {script: idle}
    overlay: overlays/agent
    agent: marker-agent
  - name: mcp
    provider: {script: scripts/mcp.yaml}
    mcp_servers:
      magic:
        type: stdio
        command: "\${BUN_EXECUTABLE}"
        args: ["\${MCP_SERVER}"]
        tools: ["*"]
        env: {MAGIC_API_KEY: "\${MAGIC_KEY}"}
  - name: skilled
    provider: {script: idle}
    copilot_home: homes/skilled
`;

const AGENT = `---
name: marker-agent
description: A custom agent used by the tests.
---
You are the marker agent. ${MARKERS.agent}. Answer briefly.
`;

const SKILL = `---
name: marker-skill
description: Use this skill when the user mentions ${MARKERS.skill}.
---
Say the word "marker" when this skill is used.
`;

const MCP_SCRIPT = `steps:
  - tool: magic-lookup
    args: {topic: tests}
  - message: The magic word is xyzzy.
`;

interface Logged {
  key: string;
  task: string;
  body: { messages: { role: string; content: unknown }[]; tools?: { function: { name: string } }[] };
}

let root: string;
let runDir: string;
let requests: Logged[];
let code: number;

const requestsOf = (variant: string) => requests.filter((r) => r.key === variant);
const textOf = (variant: string) => JSON.stringify(requestsOf(variant).map((r) => r.body.messages));
const trial = (variant: string, file: string) =>
  join(runDir, "variants", variant, "tasks", "t", "trials", "001", file);

beforeAll(async () => {
  root = writeTree(tempDir("cx-context-"), {
    "experiments/context.yaml": EXPERIMENT,
    "fixtures/app/README.md": "# app\n",
    "overlays/agent/.github/agents/marker-agent.agent.md": AGENT,
    "homes/skilled/skills/marker-skill/SKILL.md": SKILL,
    "scripts/mcp.yaml": MCP_SCRIPT,
  });
  const log = join(tempDir(), "requests.jsonl");
  const result = await runCli(["run", "--root", root, "--copilot", COPILOT, "--concurrency", "3"], {
    env: {
      COPILOT_EXPERIMENTS_SCRIPTED_LOG: log,
      MCP_SERVER: join(PROJECT_ROOT, "test/fixtures/mcp-magic-server.js"),
      BUN_EXECUTABLE: process.execPath,
      MAGIC_KEY,
    },
  });
  code = result.code;
  if (code !== 0) console.error(result.stderr);
  requests = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const [runId] = readdirSync(join(root, "results", "context"));
  runDir = join(root, "results", "context", runId!);
}, 180_000);

describe("context variants with the real CLI", () => {
  test("every variant ran", () => {
    expect(code).toBe(0);
    for (const v of ["baseline", "instructed", "agent", "mcp", "skilled"]) {
      expect(requestsOf(v).length).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(trial(v, "meta.json"), "utf8")).status).toBe("ok");
    }
  });

  test("instructions reach the model, only in their variant, and never show in the diff", () => {
    expect(textOf("instructed")).toContain(MARKERS.instructions);
    for (const v of ["baseline", "agent", "mcp", "skilled"])
      expect(textOf(v)).not.toContain(MARKERS.instructions);
    expect(readFileSync(trial("instructed", "workspace.diff"), "utf8")).toBe("");
    expect(readFileSync(trial("instructed", "workspace/.github/copilot-instructions.md"), "utf8")).toContain(
      MARKERS.instructions,
    );
  });

  test("an overlay custom agent selected with `agent:` gets its prompt to the model", () => {
    expect(textOf("agent")).toContain(MARKERS.agent);
    expect(textOf("baseline")).not.toContain(MARKERS.agent);
  });

  test("an MCP server's tool is offered and called successfully; other variants do not have it", () => {
    const tools = (v: string) => requestsOf(v)[0]!.body.tools?.map((t) => t.function.name) ?? [];
    expect(tools("mcp")).toContain("magic-lookup");
    expect(tools("baseline")).not.toContain("magic-lookup");
    const events = readFileSync(trial("mcp", "events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const start = events.find((e) => e.type === "tool.execution_start" && e.data.toolName === "magic-lookup");
    expect(start).toBeDefined();
    const done = events.find(
      (e) => e.type === "tool.execution_complete" && e.data.toolCallId === start.data.toolCallId,
    );
    expect(done.data.success).toBe(true);
    expect(JSON.stringify(done.data.result)).toContain("xyzzy");
    const metrics = JSON.parse(readFileSync(trial("mcp", "metrics.json"), "utf8"));
    expect(metrics.tool_calls_by_name["magic-lookup"]).toBe(1);
  });

  test("a skill in copilot_home is available to the model", () => {
    expect(textOf("skilled")).toContain(MARKERS.skill);
    expect(textOf("baseline")).not.toContain(MARKERS.skill);
  });

  test("run.json and variant.json record what each variant added", () => {
    const record = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    const context = Object.fromEntries(
      record.variants.map((v: { slug: string; context: unknown }) => [v.slug, v.context]),
    );
    expect(context.baseline).toEqual({});
    expect(context.instructed.instructions).toMatchObject({ path: ".github/copilot-instructions.md" });
    expect(context.instructed.instructions.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(context.agent.overlay.files.map((f: { path: string }) => f.path)).toEqual([
      ".github/agents/marker-agent.agent.md",
    ]);
    expect(context.agent.agent).toBe("marker-agent");
    expect(context.mcp.mcp_servers).toEqual(["magic"]);
    expect(context.skilled.copilot_home.files.map((f: { path: string }) => f.path)).toEqual([
      "skills/marker-skill/SKILL.md",
    ]);
    const variantJson = JSON.parse(readFileSync(join(runDir, "variants", "mcp", "variant.json"), "utf8"));
    expect(variantJson.context.mcp_servers).toEqual(["magic"]);
    expect(variantJson.definition.mcp_servers.magic.env.MAGIC_API_KEY).toBe("***redacted***");
  });

  test("the MCP secret is passed as a secret variable and never stored", () => {
    const meta = JSON.parse(readFileSync(trial("mcp", "meta.json"), "utf8"));
    expect(meta.secret_env_vars).toContain("MAGIC_API_KEY");
    // …and the MCP server still receives it (its tool reports whether the key was configured).
    expect(readFileSync(trial("mcp", "events.jsonl"), "utf8")).toContain("key configured: yes");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.isFile()) files.push(join(d, e.name));
      }
    };
    walk(join(root, "results"));
    const leaks = files.filter((f) => readFileSync(f, "latin1").includes(MAGIC_KEY));
    expect(leaks).toEqual([]);
  });
});

describe("check validates context variants before any trial", () => {
  test("a missing overlay or a typo in `agent` fails check", async () => {
    const dir = writeTree(tempDir("cx-context-check-"), {
      "experiments/x.yaml": `name: X
task: {prompt: p, fixture: fixtures/app, verify: "test -f FIXED", solution: ["touch FIXED"]}
variants:
  - {name: good, overlay: overlays/agent, agent: marker-agent}
  - {name: typo, overlay: overlays/agent, agent: marker-agnet}
`,
      "fixtures/app/README.md": "x\n",
      "overlays/agent/.github/agents/marker-agent.agent.md": AGENT,
    });
    const checked = await runCli(["check", "--root", dir]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/good\s+marker-agent\s+✓ ok/);
    expect(checked.stdout).toMatch(/typo\s+marker-agnet\s+✗ missing/);

    writeTree(dir, {
      "experiments/x.yaml": readFileSync(join(dir, "experiments/x.yaml"), "utf8").replace(
        "overlays/agent, agent: marker-agnet",
        "overlays/nope",
      ),
    });
    const missing = await runCli(["check", "--root", dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('variants[1].overlay: overlay folder "overlays/nope" does not exist');
  });
});
