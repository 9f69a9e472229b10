import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitAll, diffSince, git } from "../../../src/workspace/git.ts";
import { defuseWorkspaceRepo } from "../../../src/workspace/harness-repo.ts";
import { provisionWorkspace } from "../../../src/workspace/provision.ts";
import { buildSnapshot } from "../../../src/workspace/snapshot.ts";
import { resolvedTask } from "../../helpers/resolved-task.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

const task = resolvedTask;

/** A workspace copied from the fixture, or (`shared`) checked out from a run's snapshot of it (ADR 0017). */
async function workspaceOf(files: Record<string, string>, shared = false) {
  const root = writeTree(
    tempDir(),
    Object.fromEntries(Object.entries(files).map(([k, v]) => [`fixtures/app/${k}`, v])),
  );
  const trial = tempDir();
  const t = task({ fixture_path: join(root, "fixtures/app") });
  const ws = await provisionWorkspace({
    workspace: join(trial, "workspace"),
    task: t,
    root,
    harnessGitDir: join(trial, "harness.git"),
    snapshot: shared ? await buildSnapshot({ task: t, root, dir: join(trial, "snapshot") }) : undefined,
  });
  return { root, trial, ws };
}

/** What a hostile agent does to its workspace's git: every route that runs code in a git call. */
async function plantGitTraps(workspace: string, proof: string) {
  const run = `sh -c 'echo ran > ${proof}; env > ${proof}.env'`;
  writeFileSync(join(workspace, ".gitattributes"), "* filter=leak diff=leak\n");
  await git(["config", "filter.leak.clean", `${run}; cat`], workspace);
  await git(["config", "filter.leak.smudge", `${run}; cat`], workspace);
  await git(["config", "filter.leak.required", "true"], workspace);
  await git(["config", "diff.leak.textconv", run], workspace);
  await git(["config", "diff.external", run], workspace);
  await git(["config", "core.fsmonitor", run], workspace);
  await git(["config", "core.pager", run], workspace);
  await git(["config", "core.hooksPath", ".git/hooks"], workspace);
  await git(["config", "include.path", join(workspace, "evil.cfg")], workspace);
  writeFileSync(join(workspace, "evil.cfg"), `[core]\n\tfsmonitor = ${run}\n`);
  mkdirSync(join(workspace, ".git/hooks"), { recursive: true });
  for (const hook of ["pre-commit", "post-index-change", "pre-auto-gc", "post-checkout"]) {
    writeFileSync(join(workspace, ".git/hooks", hook), `#!/bin/sh\n${run}\n`, { mode: 0o755 });
  }
  // A nested repository whose own config carries an fsmonitor.
  mkdirSync(join(workspace, "nested"));
  writeFileSync(join(workspace, "nested/x.txt"), "x\n");
  await git(["init", "-q"], join(workspace, "nested"));
  await commitAll(join(workspace, "nested"), "nested");
  await git(["config", "core.fsmonitor", run], join(workspace, "nested"));
  writeFileSync(join(workspace, "main.py"), "print(2)\n");
}

describe("the harness's git never runs what the agent configured", () => {
  for (const [via, shared] of [
    ["a copy of the fixture", false],
    ["a run's snapshot", true],
  ] as const) {
    test(`filters, drivers, fsmonitor, pager, includes and hooks planted in the workspace do not run; the diff is exact (${via})`, async () => {
      const { trial, ws } = await workspaceOf({ "main.py": "print(1)\n" }, shared);
      const proof = join(trial, "proof");
      await plantGitTraps(ws.path, proof);
      const { patch, stat } = await diffSince(ws.repo, ws.baseline);
      expect(existsSync(proof)).toBe(false);
      expect(existsSync(`${proof}.env`)).toBe(false);
      expect(patch).toContain("+print(2)");
      expect(patch).toContain("+* filter=leak diff=leak");
      expect(patch.split("\n")).not.toContain("ran");
      // .gitattributes, evil.cfg, main.py and the nested repository (as a gitlink)
      expect(stat.files).toBe(4);
    });

    test(`an agent that deletes or replaces its .git does not lose the baseline (${via})`, async () => {
      const { ws } = await workspaceOf({ "main.py": "print(1)\n" }, shared);
      rmSync(join(ws.path, ".git"), { recursive: true });
      writeFileSync(join(ws.path, "main.py"), "print(3)\n");
      await git(["init", "-q"], ws.path);
      const { patch, stat } = await diffSince(ws.repo, ws.baseline);
      expect(patch).toContain("-print(1)");
      expect(patch).toContain("+print(3)");
      expect(stat).toEqual({ files: 1, added: 1, removed: 1 });
    });
  }

  test("the harness's git calls carry no secret of the environment", async () => {
    const { trial, ws } = await workspaceOf({ "main.py": "print(1)\n" });
    const saved = process.env.MY_API_KEY;
    process.env.MY_API_KEY = "sk-live-planted-value";
    try {
      // Even a driver configured in the harness's own repository (it is not) would see no secret.
      await git(["config", "filter.probe.clean", `sh -c 'env > ${trial}/env.txt; cat'`], ws.repo);
      writeFileSync(join(ws.path, ".gitattributes"), "* filter=probe\n");
      await diffSince(ws.repo, ws.baseline);
      const seen = readFileSync(join(trial, "env.txt"), "utf8");
      expect(seen).not.toContain("sk-live-planted-value");
      expect(seen).not.toContain("GITHUB_TOKEN");
    } finally {
      if (saved === undefined) delete process.env.MY_API_KEY;
      else process.env.MY_API_KEY = saved;
    }
  });

  test("defusing leaves the baseline config, no hooks, and never writes through a planted link", async () => {
    const { trial, ws } = await workspaceOf({ "main.py": "print(1)\n" });
    await plantGitTraps(ws.path, join(trial, "proof"));
    const outside = join(trial, "outside.txt");
    writeFileSync(outside, "keep me\n");
    rmSync(join(ws.path, ".git/config"));
    symlinkSync(outside, join(ws.path, ".git/config"));
    defuseWorkspaceRepo(ws.path, ws.baselineRepo);
    expect(readFileSync(outside, "utf8")).toBe("keep me\n");
    expect(lstatSync(join(ws.path, ".git/config")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(ws.path, ".git/config"), "utf8")).toBe(ws.baselineRepo.config!);
    expect(existsSync(join(ws.path, ".git/hooks"))).toBe(false);
    // git in the stored workspace now runs nothing the agent planted
    await git(["status", "--porcelain"], ws.path);
    expect(existsSync(join(trial, "proof"))).toBe(false);
  });

  test("a .git the agent turned into a link to another repository is removed, not followed", async () => {
    const { trial, ws } = await workspaceOf({ "main.py": "print(1)\n" });
    const other = join(trial, "other-repo");
    mkdirSync(other);
    await git(["init", "-q"], other);
    rmSync(join(ws.path, ".git"), { recursive: true });
    symlinkSync(join(other, ".git"), join(ws.path, ".git"));
    defuseWorkspaceRepo(ws.path, ws.baselineRepo);
    expect(existsSync(join(ws.path, ".git"))).toBe(false);
    expect(existsSync(join(other, ".git/config"))).toBe(true);
  });
});

describe("sources are only read", () => {
  test("a fixture that is a link inside the root is copied as a folder; the source is untouched", async () => {
    const root = writeTree(tempDir(), { "real/app/main.py": "print(1)\n" });
    mkdirSync(join(root, "fixtures"));
    symlinkSync(join(root, "real/app"), join(root, "fixtures/app"));
    const trial = tempDir();
    const ws = await provisionWorkspace({
      workspace: join(trial, "workspace"),
      task: task({ fixture_path: join(root, "fixtures/app") }),
      root,
      harnessGitDir: join(trial, "harness.git"),
    });
    expect(lstatSync(ws.path).isDirectory()).toBe(true);
    expect(lstatSync(ws.path).isSymbolicLink()).toBe(false);
    writeFileSync(join(ws.path, "main.py"), "print(2)\n");
    expect(readFileSync(join(root, "real/app/main.py"), "utf8")).toBe("print(1)\n");
    expect(existsSync(join(root, "real/app/.git"))).toBe(false);
  });

  test("an overlay or the instructions are never written through a fixture's link to a folder outside", async () => {
    const outside = tempDir();
    const root = writeTree(tempDir(), {
      "fixtures/app/main.py": "x\n",
      "overlay/docs/notes.md": "overlay\n",
    });
    symlinkSync(outside, join(root, "fixtures/app/docs"));
    symlinkSync(outside, join(root, "fixtures/app/.github"));
    const trial = tempDir();
    const attempt = (variant: { overlay_path?: string; instructions?: string }, name: string) =>
      provisionWorkspace({
        workspace: join(trial, name),
        task: task({ fixture_path: join(root, "fixtures/app") }),
        root,
        harnessGitDir: join(trial, `${name}.git`),
        variant,
      });
    await expect(attempt({ overlay_path: join(root, "overlay") }, "a")).rejects.toThrow(
      /through the symlink docs/,
    );
    await expect(attempt({ instructions: "hi" }, "b")).rejects.toThrow(/through the symlink \.github/);
    expect(existsSync(join(outside, "notes.md"))).toBe(false);
    expect(existsSync(join(outside, "copilot-instructions.md"))).toBe(false);
  });

  test("an overlay file whose place in the fixture is a link to a file outside replaces the link", async () => {
    const outside = join(tempDir(), "victim.txt");
    writeFileSync(outside, "keep me\n");
    const root = writeTree(tempDir(), { "fixtures/app/main.py": "x\n", "overlay/README.md": "overlay\n" });
    symlinkSync(outside, join(root, "fixtures/app/README.md"));
    const trial = tempDir();
    const ws = await provisionWorkspace({
      workspace: join(trial, "workspace"),
      task: task({ fixture_path: join(root, "fixtures/app") }),
      root,
      harnessGitDir: join(trial, "harness.git"),
      variant: { overlay_path: join(root, "overlay") },
    });
    expect(readFileSync(outside, "utf8")).toBe("keep me\n");
    expect(lstatSync(join(ws.path, "README.md")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(ws.path, "README.md"), "utf8")).toBe("overlay\n");
  });
});
