import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import type { ResolvedTask } from "../../../src/experiment/load.ts";
import { commitAll, diffSince, git } from "../../../src/workspace/git.ts";
import { defuseWorkspaceRepo } from "../../../src/workspace/harness-repo.ts";
import { provisionWorkspace, type Workspace } from "../../../src/workspace/provision.ts";
import { buildSnapshot, checkOutSnapshot, detachFromSnapshot } from "../../../src/workspace/snapshot.ts";
import { resolvedTask } from "../../helpers/resolved-task.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

// Real git, several repositories per test: seconds each on a loaded machine.
setDefaultTimeout(30_000);

/**
 * Workspaces checked out from a run's snapshot (ADR 0017) against the reference: the same
 * workspace provisioned the way every trial did before snapshots (the fixture copied or the
 * repository cloned, then hashed in full). Baselines, files and diffs must be identical.
 */

const task = resolvedTask;

/** A fixture with what a copy must keep: modes, links, an ignored file, an empty folder, a binary file. */
function fixtureRoot(): string {
  const root = writeTree(tempDir(), {
    "fixtures/app/main.py": "print(1)\n",
    "fixtures/app/lib/util.py": "def f():\n    return 1\n",
    "fixtures/app/run.sh": "#!/bin/sh\necho hi\n",
    "fixtures/app/.gitignore": "build/\n",
    "fixtures/app/build/cache.txt": "ignored by git, still in the workspace\n",
    "fixtures/app/.gitattributes": "*.txt text eol=lf\n",
    "overlay/AGENTS.md": "Be brief.\n",
    // Same size as the fixture's main.py: only its content tells the overlay's copy apart.
    "overlay/main.py": "print(9)\n",
  });
  chmodSync(join(root, "fixtures/app/run.sh"), 0o755);
  symlinkSync("main.py", join(root, "fixtures/app/link.py"));
  mkdirSync(join(root, "fixtures/app/empty"));
  writeFileSync(join(root, "fixtures/app/blob.bin"), Buffer.from([0, 1, 2, 3, 255]));
  return root;
}

/** Every path under `dir` with its kind and mode, `.git` left out. */
function listing(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!rel && entry.name === ".git") continue;
    const path = join(rel, entry.name);
    const st = lstatSync(join(dir, path));
    out.push(
      `${path} ${st.isSymbolicLink() ? "link" : st.isDirectory() ? "dir" : "file"} ${(st.mode & 0o777).toString(8)}`,
    );
    if (entry.isDirectory()) out.push(...listing(dir, path));
  }
  return out;
}

async function both(
  t: ResolvedTask,
  root: string,
  variant?: { overlay_path?: string; instructions?: string },
) {
  const trials = tempDir();
  const snapshot = await buildSnapshot({ task: t, root, dir: join(trials, "snapshot") });
  const direct = await provisionWorkspace({
    workspace: join(trials, "direct", "workspace"),
    harnessGitDir: join(trials, "direct", "harness.git"),
    task: t,
    root,
    variant,
  });
  const shared = await provisionWorkspace({
    workspace: join(trials, "shared", "workspace"),
    harnessGitDir: join(trials, "shared", "harness.git"),
    task: t,
    root,
    variant,
    snapshot,
  });
  return { trials, snapshot, direct, shared };
}

/** What an agent does: edits, deletes, adds text and binary files, changes a mode, commits. */
async function agentWork(ws: Workspace) {
  writeFileSync(join(ws.path, "main.py"), "print(2)\n");
  rmSync(join(ws.path, "lib/util.py"));
  writeFileSync(join(ws.path, "lib/new.py"), "x = 1\n");
  writeFileSync(join(ws.path, "blob.bin"), Buffer.from([9, 0, 9]));
  chmodSync(join(ws.path, "main.py"), 0o755);
  await commitAll(ws.path, "agent's own commit");
  writeFileSync(join(ws.path, "after.txt"), "uncommitted\n");
}

function inodes(dir: string, into = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) inodes(path, into);
    else if (entry.isFile()) into.add(`${statSync(path).dev}:${statSync(path).ino}`);
  }
  return into;
}

describe("workspaces from a run's snapshot", () => {
  test("a fixture: the same baseline commit, files, modes and diff as a fresh copy", async () => {
    const root = fixtureRoot();
    const t = task({ fixture_path: join(root, "fixtures/app") });
    const variant = { overlay_path: join(root, "overlay"), instructions: "Prefer small diffs." };
    const { direct, shared } = await both(t, root, variant);
    expect(shared.baseline).toBe(direct.baseline);
    expect(await git(["show", "HEAD:main.py"], shared.path)).toBe("print(9)\n");
    expect(listing(shared.path)).toEqual(listing(direct.path));
    expect(listing(shared.path)).toContain("build/cache.txt file 644");
    expect(listing(shared.path)).toContain("empty dir 755");
    expect(readFileSync(join(shared.path, ".git/config"), "utf8")).toBe(
      readFileSync(join(direct.path, ".git/config"), "utf8"),
    );
    await agentWork(direct);
    await agentWork(shared);
    const a = await diffSince(direct.repo, direct.baseline);
    const b = await diffSince(shared.repo, shared.baseline);
    expect(b.patch).toBe(a.patch);
    expect(b.stat).toEqual(a.stat);
    expect(b.stat.files).toBe(5);
    // …and the agent's own git sees an ordinary repository with the baseline in its history.
    expect((await git(["log", "--format=%s"], shared.path)).trim().split("\n")).toEqual([
      "agent's own commit",
      "copilot-experiments baseline",
    ]);
    expect((await git(["fsck", "--full", "--no-dangling", "--no-progress"], shared.path)).trim()).toBe("");
  });

  test("nothing laid over: the snapshot's baseline commit is the workspace's, with no object of its own", async () => {
    const root = fixtureRoot();
    const t = task({ fixture_path: join(root, "fixtures/app") });
    const { direct, shared } = await both(t, root);
    expect(shared.baseline).toBe(direct.baseline);
    // No add, no commit in the workspace: its object store holds only the pointer to the snapshot's.
    const own = (sub: string) => readdirSync(join(shared.path, ".git/objects", sub));
    expect(readdirSync(join(shared.path, ".git/objects")).sort()).toEqual(["info", "pack"]);
    expect(own("info")).toEqual(["alternates"]);
    expect(own("pack")).toEqual([]);
    expect((await git(["status", "--porcelain"], shared.path)).trim()).toBe("");
    await agentWork(direct);
    await agentWork(shared);
    expect((await diffSince(shared.repo, shared.baseline)).patch).toBe(
      (await diffSince(direct.repo, direct.baseline)).patch,
    );
  });

  test("a fixture with its own history in packed refs: the baseline's parent is its HEAD, as a fresh copy's is", async () => {
    const root = tempDir();
    const fixture = writeTree(join(root, "fixtures/app"), { "a.txt": "one\n", "b/c.txt": "two\n" });
    await git(["init", "-q"], fixture);
    const first = await commitAll(fixture, "the fixture's own commit");
    await git(["pack-refs", "--all", "--prune"], fixture);
    expect(readdirSync(join(fixture, ".git/refs/heads"))).toEqual([]);
    const { direct, shared } = await both(task({ fixture_path: fixture }), root);
    expect(shared.baseline).toBe(direct.baseline);
    expect((await git(["rev-parse", "HEAD", "HEAD~1"], shared.path)).trim().split("\n")).toEqual([
      shared.baseline,
      first,
    ]);
    expect((await git(["status", "--porcelain"], shared.path)).trim()).toBe("");
  });

  test("a repository at a ref: the same baseline on top of the same history", async () => {
    const origin = writeTree(tempDir(), { "a.txt": "one\n", "b/c.txt": "two\n" });
    await git(["init", "-q"], origin);
    const first = await commitAll(origin, "first");
    writeFileSync(join(origin, "a.txt"), "changed later\n");
    await commitAll(origin, "second");
    const root = tempDir();
    const t = task({ repo: origin, ref: first });
    const { direct, shared } = await both(t, root);
    expect(shared.baseline).toBe(direct.baseline);
    expect(readFileSync(join(shared.path, "a.txt"), "utf8")).toBe("one\n");
    expect((await git(["rev-parse", "HEAD~1"], shared.path)).trim()).toBe(first);
    writeFileSync(join(shared.path, "a.txt"), "agent\n");
    writeFileSync(join(direct.path, "a.txt"), "agent\n");
    expect((await diffSince(shared.repo, shared.baseline)).patch).toBe(
      (await diffSince(direct.repo, direct.baseline)).patch,
    );
  });

  test("the copied index describes the copies, as a checkout would: git needs to read no file again", async () => {
    const root = fixtureRoot();
    // Fixture files older than any index written now, so git's racy-entry check does not apply.
    const past = new Date("2020-01-02T03:04:05Z");
    for (const f of ["main.py", "lib/util.py", "run.sh", ".gitignore", ".gitattributes", "blob.bin"]) {
      utimesSync(join(root, "fixtures/app", f), past, past);
    }
    const trials = tempDir();
    const snapshot = await buildSnapshot({
      task: task({ fixture_path: join(root, "fixtures/app") }),
      root,
      dir: join(trials, "snapshot"),
    });
    const workspace = join(trials, "workspace");
    checkOutSnapshot(snapshot, workspace);
    const before = readFileSync(join(workspace, ".git/index"));
    const debug = await git(["ls-files", "--debug"], workspace);
    const entries = debug.split(/\n(?=\S)/).filter((e) => e.trim());
    // main.py, lib/util.py, run.sh, .gitignore, .gitattributes, link.py, blob.bin.
    expect(entries.length).toBe(7);
    for (const entry of entries) {
      const path = entry.split("\n")[0]!;
      // Checked against stat(1), not the code under test's own reading of the file.
      const [ino, size, uid, gid, mtime] = Bun.spawnSync([
        "stat",
        "-c",
        "%i %s %u %g %Y",
        join(workspace, path),
      ])
        .stdout.toString()
        .trim()
        .split(" ");
      expect(entry).toContain(`ino: ${Number(ino) % 2 ** 32}`);
      expect(entry).toContain(`uid: ${uid}\tgid: ${gid}`);
      expect(entry).toContain(`size: ${size}\t`);
      expect(entry).toContain(`mtime: ${mtime}:`);
    }
    // Nothing is stale: the index git would have written after reading every file is the same.
    expect(await git(["diff-files", "--name-status"], workspace)).toBe("");
    expect(await git(["update-index", "--really-refresh"], workspace)).toBe("");
    expect(readFileSync(join(workspace, ".git/index")).subarray(12).equals(before.subarray(12))).toBe(true);
  });

  test("a workspace borrows the snapshot's objects: no copy, no shared inode, read-only by mode", async () => {
    const root = fixtureRoot();
    const { snapshot, shared } = await both(task({ fixture_path: join(root, "fixtures/app") }), root);
    expect(readFileSync(join(shared.path, ".git/objects/info/alternates"), "utf8")).toBe(
      `${snapshot.objects}\n`,
    );
    // The harness's repository has its own copy of the alternates file, not a link to the agent's.
    const harnessAlternates = join(shared.repo.gitDir, "objects/info/alternates");
    expect(readFileSync(harnessAlternates, "utf8")).toBe(`${snapshot.objects}\n`);
    expect(statSync(harnessAlternates).ino).not.toBe(
      statSync(join(shared.path, ".git/objects/info/alternates")).ino,
    );
    // Nothing was written in the workspace's object store: blobs, trees and the baseline commit
    // are the snapshot's.
    const local = readdirSync(join(shared.path, ".git/objects"), {
      recursive: true,
      withFileTypes: true,
    }).filter((e) => e.isFile() && e.name !== "alternates");
    expect(local.length).toBe(0);
    const store = inodes(snapshot.objects);
    const reachable = [...inodes(shared.path)].filter((i) => store.has(i));
    expect(reachable).toEqual([]);
    for (const file of readdirSync(snapshot.objects, { recursive: true, withFileTypes: true })) {
      if (file.isFile()) expect(statSync(join(file.parentPath, file.name)).mode & 0o222).toBe(0);
    }
  });

  test("an agent that points its alternates elsewhere does not move the harness's diff", async () => {
    const root = fixtureRoot();
    const { trials, shared, direct } = await both(task({ fixture_path: join(root, "fixtures/app") }), root);
    await agentWork(shared);
    await agentWork(direct);
    // Rewritten in place to an object store of the agent's choosing, then replaced by a link.
    const own = join(shared.path, ".git/objects/info/alternates");
    writeFileSync(own, `${join(direct.path, ".git/objects")}\n`);
    const planted = join(trials, "planted-alternates");
    writeFileSync(planted, `${join(direct.path, ".git/objects")}\n`);
    rmSync(own);
    symlinkSync(planted, own);
    expect((await diffSince(shared.repo, shared.baseline)).patch).toBe(
      (await diffSince(direct.repo, direct.baseline)).patch,
    );
    expect(readFileSync(join(shared.repo.gitDir, "objects/info/alternates"), "utf8")).toBe(
      `${shared.snapshot!.objects}\n`,
    );
    // Defusing puts back the harness's alternates, without writing through the planted link.
    defuseWorkspaceRepo(shared.path, shared.baselineRepo);
    expect(lstatSync(own).isSymbolicLink()).toBe(false);
    expect(readFileSync(own, "utf8")).toBe(`${shared.snapshot!.objects}\n`);
    expect(readFileSync(planted, "utf8")).toBe(`${join(direct.path, ".git/objects")}\n`);
  });

  test("a kept workspace outlives the snapshot: objects linked in, no alternates, git works", async () => {
    const root = fixtureRoot();
    const { trials, snapshot, shared } = await both(task({ fixture_path: join(root, "fixtures/app") }), root);
    await agentWork(shared);
    defuseWorkspaceRepo(shared.path, shared.baselineRepo);
    // Defusing restores the alternates the harness wrote (verify may run git after it).
    expect(readFileSync(join(shared.path, ".git/objects/info/alternates"), "utf8")).toBe(
      `${snapshot.objects}\n`,
    );
    detachFromSnapshot(shared.path, snapshot);
    rmSync(snapshot.dir, { recursive: true, force: true });
    expect(existsSync(join(shared.path, ".git/objects/info/alternates"))).toBe(false);
    expect((await git(["fsck", "--full", "--no-dangling", "--no-progress"], shared.path)).trim()).toBe("");
    expect(await git(["show", "--stat", "--format=%s", "HEAD~1"], shared.path)).toContain("main.py");
    expect((await git(["status", "--porcelain"], shared.path)).trim()).toBe("?? after.txt");
    expect(relative(trials, shared.path)).toBe("shared/workspace");
  });

  test("making a kept workspace independent never writes through a link the agent planted", async () => {
    const root = fixtureRoot();
    const { trials, snapshot, shared } = await both(task({ fixture_path: join(root, "fixtures/app") }), root);
    const victim = join(trials, "victim");
    mkdirSync(victim);
    rmSync(join(shared.path, ".git/objects/pack"), { recursive: true });
    symlinkSync(victim, join(shared.path, ".git/objects/pack"));
    detachFromSnapshot(shared.path, snapshot);
    expect(readdirSync(victim)).toEqual([]);
    expect(lstatSync(join(shared.path, ".git/objects/pack")).isDirectory()).toBe(true);
    rmSync(snapshot.dir, { recursive: true, force: true });
    expect((await git(["fsck", "--full", "--no-dangling", "--no-progress"], shared.path)).trim()).toBe("");
  });

  test("what an agent does with its own git (gc, repack, prune, deleting its objects) leaves the snapshot as it was for the next trial", async () => {
    const root = fixtureRoot();
    const t = task({ fixture_path: join(root, "fixtures/app") });
    const { trials, snapshot, shared, direct } = await both(t, root);
    const contents = (dir: string) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => {
          const path = join(e.parentPath, e.name);
          return `${relative(dir, path)} ${Bun.hash(readFileSync(path))} ${statSync(path).mode.toString(8)}`;
        })
        .sort();
    const before = contents(snapshot.dir);
    // The hostile agent: commits, then every git command that rewrites or drops objects, then
    // its own object store deleted and its alternates emptied.
    await agentWork(shared);
    for (const args of [
      ["gc", "--aggressive", "--prune=now"],
      ["repack", "-a", "-d", "-f"],
      ["prune", "--expire=now"],
      ["prune-packed"],
    ]) {
      await git(args, shared.path);
    }
    rmSync(join(shared.path, ".git/objects"), { recursive: true, force: true });
    expect(contents(snapshot.dir)).toEqual(before);
    // The next trial of the run slice starts from the same snapshot exactly as the first did.
    const next = await provisionWorkspace({
      workspace: join(trials, "next", "workspace"),
      harnessGitDir: join(trials, "next", "harness.git"),
      task: t,
      root,
      snapshot,
    });
    expect(next.baseline).toBe(direct.baseline);
    await agentWork(next);
    await agentWork(direct);
    expect((await diffSince(next.repo, next.baseline)).patch).toBe(
      (await diffSince(direct.repo, direct.baseline)).patch,
    );
    expect((await git(["fsck", "--full", "--no-dangling", "--no-progress"], next.path)).trim()).toBe("");
  });

  test("sources with a .git that points elsewhere are refused, and the snapshot folder is gone", async () => {
    const root = writeTree(tempDir(), {
      "fixtures/app/main.py": "x\n",
      "fixtures/app/.git": "gitdir: /elsewhere\n",
    });
    const dir = join(tempDir(), "snapshot");
    await expect(
      buildSnapshot({ task: task({ fixture_path: join(root, "fixtures/app") }), root, dir }),
    ).rejects.toThrow(/\.git that is a link or a file/);
    expect(existsSync(dir)).toBe(false);
  });
});
