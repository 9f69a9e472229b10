import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";
import { writeFakeCopilot } from "../helpers/fake-copilot.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

setDefaultTimeout(60_000);

/**
 * `keep_workspaces` (ADR 0017) through the CLI with a fake Copilot: which trials keep their
 * workspace, the experiment field and the option that overrides it, and what `show`, `inspect`
 * and the report say about a workspace that was not kept.
 */

const fake = writeFakeCopilot();
const ENV = { COPILOT_GITHUB_TOKEN: "github_pat_fake_for_tests", COPILOT_BIN: fake };

const experiment = (keep = "") => `name: Keep
${keep}
tasks:
  - {name: pass, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
  - {name: fail, prompt: p, fixture: fixtures/app, verify: "false"}
  - {name: ungraded, prompt: p, fixture: fixtures/app}
variants:
  - {name: v, trials: 2}
`;

function newRoot(keep?: string): string {
  return writeTree(tempDir("cx-keep-"), {
    "experiments/keep.yaml": experiment(keep),
    "fixtures/app/main.py": "print(1)\n",
  });
}

function runDirOf(root: string): string {
  const [id] = readdirSync(join(root, "results", "keep")).filter((n) => !n.startsWith("."));
  return join(root, "results", "keep", id!);
}

/** Which trials kept a workspace: "task/trial" → kept. */
function kept(root: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const tasks = join(runDirOf(root), "variants/v/tasks");
  for (const task of readdirSync(tasks)) {
    for (const trial of readdirSync(join(tasks, task, "trials"))) {
      out[`${task}/${Number(trial)}`] = existsSync(join(tasks, task, "trials", trial, "workspace"));
    }
  }
  return out;
}

describe("keep_workspaces", () => {
  test("by default only trials that did not pass keep theirs; show, inspect and the report say so", async () => {
    const root = newRoot();
    const result = await runCli(["run", "--root", root], { env: ENV });
    expect(result.code).toBe(0);
    expect(kept(root)).toEqual({
      "fail/1": true,
      "fail/2": true,
      "pass/1": false,
      "pass/2": false,
      "ungraded/1": true,
      "ungraded/2": true,
    });
    const dir = runDirOf(root);
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).options.keep_workspaces).toBe("failed");
    // Every other artifact stays.
    const trial = join(dir, "variants/v/tasks/pass/trials/001");
    expect(readFileSync(join(trial, "workspace.diff"), "utf8")).toContain("+fixed by fake");
    expect(existsSync(join(trial, "verify.json"))).toBe(true);

    const show = await runCli(["show", "--root", root, "--last"]);
    expect(show.code).toBe(0);
    expect(show.stdout.replace(/\s+/g, " ")).toContain(
      "workspaces kept for 4 of 6 trials (keep_workspaces: failed); the others can be recreated",
    );
    const shown = JSON.parse((await runCli(["show", "--root", root, "--last", "--json"])).stdout);
    expect(shown.run.workspaces).toEqual({ policy: "failed", kept: 4, not_kept: 2 });

    const meta = JSON.parse(readFileSync(join(trial, "meta.json"), "utf8"));
    const inspect = await runCli(["inspect", "--root", root, "--last", "--task", "pass"]);
    const text = inspect.stdout.replace(/\s+/g, " ");
    expect(text).toContain("workspace not kept (keep_workspaces: failed)");
    expect(text).toContain(`baseline commit ${meta.baseline_commit.slice(0, 12)}`);
    expect(text).toContain("git apply workspace.diff");
    const failed = await runCli(["inspect", "--root", root, "--last", "--task", "fail", "--json"]);
    expect(JSON.parse(failed.stdout).workspace).toMatchObject({ kept: true, recreate: null });

    const report = readFileSync(join(dir, "report.html"), "utf8");
    expect(report).toContain("workspace/ not kept (keep_workspaces: failed)");
  });

  test("the experiment's keep_workspaces, and --keep-workspaces over it", async () => {
    const none = newRoot("keep_workspaces: none");
    expect((await runCli(["run", "--root", none], { env: ENV })).code).toBe(0);
    expect(Object.values(kept(none)).every((k) => !k)).toBe(true);

    const all = newRoot("keep_workspaces: none");
    expect((await runCli(["run", "--root", all, "--keep-workspaces", "all"], { env: ENV })).code).toBe(0);
    expect(Object.values(kept(all)).every((k) => k)).toBe(true);
    // Every kept workspace is a repository of its own: the run's snapshot is gone.
    expect(readdirSync(runDirOf(all)).filter((n) => n.startsWith("."))).toEqual([]);
    const workspace = join(runDirOf(all), "variants/v/tasks/pass/trials/002/workspace");
    expect(Bun.spawnSync(["git", "-C", workspace, "fsck", "--full", "--no-dangling"]).exitCode).toBe(0);
    const status = Bun.spawnSync(["git", "-C", workspace, "status", "--porcelain"]).stdout.toString();
    expect(status).toBe("?? FAKE_CHANGE.txt\n");

    const bad = await runCli(["run", "--root", newRoot(), "--keep-workspaces", "some"], { env: ENV });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--keep-workspaces expects all, failed, none");
  });
});
