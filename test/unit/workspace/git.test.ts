import { describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitAll, diffSince, GitError, git } from "../../../src/workspace/git.ts";
import { provisionWorkspace } from "../../../src/workspace/provision.ts";
import { resolvedTask } from "../../helpers/resolved-task.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

const task = resolvedTask;

describe("workspaces", () => {
  test("a fixture is copied with symlinks as links; overlay and instructions are part of the baseline", async () => {
    const root = writeTree(tempDir(), {
      "fixtures/app/main.py": "print(1)\n",
      "overlay/AGENTS.md": "Be brief.\n",
    });
    symlinkSync("main.py", join(root, "fixtures/app/link.py"));
    const workspace = join(tempDir(), "ws");
    const ws = await provisionWorkspace({
      workspace,
      task: task({ fixture_path: join(root, "fixtures/app") }),
      root,
      harnessGitDir: join(workspace, "..", "harness.git"),
      variant: { overlay_path: join(root, "overlay"), instructions: "Prefer small diffs." },
    });
    const baseline = ws.baseline;
    expect(baseline).toMatch(/^[0-9a-f]{40}$/);
    const files = (await git(["ls-files", "-s"], workspace)).trim().split("\n");
    expect(files.some((l) => l.startsWith("120000") && l.endsWith("link.py"))).toBe(true);
    expect(files.map((l) => l.split("\t")[1])).toEqual([
      ".github/copilot-instructions.md",
      "AGENTS.md",
      "link.py",
      "main.py",
    ]);
    const log = await git(["log", "--format=%an <%ae> %ad", "--date=iso-strict"], workspace);
    expect(log.trim()).toBe("copilot-experiments <copilot-experiments@localhost> 2000-01-01T00:00:00+00:00");
    expect((await diffSince(workspace, baseline)).patch).toBe("");
    expect((await diffSince(ws.repo, baseline)).patch).toBe("");
  });

  test("the diff counts changes since the baseline, including what the agent committed itself", async () => {
    const dir = writeTree(tempDir(), { "a.txt": "one\ntwo\n", "b.txt": "keep\n" });
    await git(["init", "-q"], dir);
    const baseline = await commitAll(dir, "base");
    writeFileSync(join(dir, "a.txt"), "one\n2\nthree\n");
    await commitAll(dir, "agent commit");
    writeFileSync(join(dir, "c.bin"), Buffer.from([0, 1, 2, 3]));
    rmSync(join(dir, "b.txt"));
    mkdirSync(join(dir, "new"));
    writeFileSync(join(dir, "new/d.txt"), "d\n");
    const { patch, stat } = await diffSince(dir, baseline);
    expect(stat).toEqual({ files: 4, added: 3, removed: 2 });
    expect(patch).toStartWith("diff --git a/a.txt b/a.txt");
    expect(patch).toContain("Binary files /dev/null and b/c.bin differ");
    expect(patch).toContain("deleted file mode");
  });

  test("a git failure is an error, never an empty diff", async () => {
    const dir = tempDir();
    await expect(diffSince(dir, "0000000000000000000000000000000000000000")).rejects.toBeInstanceOf(GitError);
  });
});
