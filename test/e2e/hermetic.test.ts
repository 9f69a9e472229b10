import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PINNED_COPILOT_VERSION } from "../../src/version.ts";
import { PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import { removeCreated, tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, an MCP server): two minutes for the run.
setDefaultTimeout(180_000);
// Hundreds of MB of temporary files: removed when this file is done, not at the end of the suite.
afterAll(removeCreated, 120_000);

/**
 * Hermetic trials (docs/hermetic-trials.md): with HOME pointing at an empty folder, a run with
 * an MCP variant leaves nothing of the CLI's state in that home except the shared, version-keyed
 * runtime (extracted once) and the CLI's telemetry device id. Without a per-trial
 * COPILOT_CACHE_HOME the CLI writes its MCP tool cache to ~/.cache/copilot/mcp-tools.
 */

const PINNED = join(PROJECT_ROOT, `node_modules/@github/copilot-${process.platform}-${process.arch}/copilot`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe("hermetic trials", () => {
  test("nothing but the shared runtime and the device id lands in the user's home", async () => {
    const home = tempDir("cx-home-");
    const root = writeTree(tempDir("cx-hermetic-"), {
      // What the CLI itself writes outside its home, measured without the sandbox (which would
      // keep every such write off the disk anyway).
      "experiments/h.yaml": `name: H
sandbox: none
task: {name: t, prompt: Say hello., fixture: fixtures/app, verify: "true"}
variants:
  - name: mcp
    provider: {script: scripts/mcp.yaml}
    trials: 2
    mcp_servers:
      magic: {type: stdio, command: "\${BUN_EXECUTABLE}", args: ["\${MCP_SERVER}"], tools: ["*"]}
  - name: idle
    provider: {script: idle}
`,
      "fixtures/app/README.md": "# app\n",
      "scripts/mcp.yaml":
        "steps:\n  - tool: magic-lookup\n    args: {topic: tests}\n  - message: The magic word is xyzzy.\n",
    });
    const r = await runCli(["run", "--root", root, "--copilot", PINNED, "--concurrency", "3"], {
      env: {
        HOME: home,
        XDG_CACHE_HOME: undefined,
        COPILOT_HOME: undefined,
        COPILOT_CACHE_HOME: undefined,
        COPILOT_PKG_CACHE_HOME: undefined,
        COPILOT_EXPERIMENTS_CACHE: tempDir("cx-install-cache-"),
        MCP_SERVER: join(PROJECT_ROOT, "test/fixtures/mcp-magic-server.js"),
        BUN_EXECUTABLE: process.execPath,
      },
    });
    expect(r.code).toBe(0);
    // Both MCP trials called the tool.
    const [runId] = readdirSync(join(root, "results", "h"));
    for (const n of ["001", "002"]) {
      const metrics = JSON.parse(
        readFileSync(
          join(root, "results", "h", runId!, "variants", "mcp", "tasks", "t", "trials", n, "metrics.json"),
          "utf8",
        ),
      );
      expect(metrics.tool_calls_by_name["magic-lookup"]).toBe(1);
    }

    const runtime = join(".cache", "copilot", "pkg", `${process.platform}-${process.arch}`);
    expect(readdirSync(join(home, runtime))).toEqual([PINNED_COPILOT_VERSION]);
    // Bun's own transpiler cache (the harness runs from source, the MCP server under Bun) is not the CLI's.
    const elsewhere = filesUnder(home).filter((f) => !f.startsWith(`${runtime}/`) && !f.startsWith(".bun/"));
    expect(elsewhere).toEqual([join(".cache", "Microsoft", "DeveloperTools", "deviceid")]);
  });
});
