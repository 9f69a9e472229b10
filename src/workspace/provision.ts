import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ResolvedTask } from "../experiment/load.ts";
import { commitAll, git } from "./git.ts";

export const INSTRUCTIONS_FILE = ".github/copilot-instructions.md";

/** Copy a folder without following symlinks (links are copied as links). */
export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true, dereference: false, force: true });
}

/** A `repo` value: a URL or scp-style address is used as is, a path is relative to the root. */
export function repoSource(repo: string, root: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\s]+@[^:\s]+:/.test(repo) || isAbsolute(repo))
    return repo;
  return resolve(root, repo);
}

/**
 * Fresh workspace for one trial: the fixture copied (or the repo cloned at `ref`), the variant's
 * overlay and instructions laid over it, then a baseline commit. Returns the baseline sha, the
 * point the diff is measured from: what the variant added before it never shows in the diff.
 */
export async function provisionWorkspace(opts: {
  workspace: string;
  task: ResolvedTask;
  root: string;
  /** What a variant lays over the workspace before the baseline. */
  variant?: { overlay_path?: string; instructions?: string };
}): Promise<string> {
  const { workspace, task } = opts;
  const variant = opts.variant ?? {};
  mkdirSync(dirname(workspace), { recursive: true });
  if (task.fixture_path) {
    copyTree(task.fixture_path, workspace);
  } else if (task.repo) {
    await git(["clone", "--quiet", repoSource(task.repo, opts.root), workspace], dirname(workspace));
    if (task.ref) await git(["checkout", "--quiet", "--detach", task.ref], workspace);
  } else {
    mkdirSync(workspace, { recursive: true });
  }
  if (variant.overlay_path) copyTree(variant.overlay_path, workspace);
  if (variant.instructions !== undefined) {
    const file = join(workspace, INSTRUCTIONS_FILE);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      variant.instructions.endsWith("\n") ? variant.instructions : `${variant.instructions}\n`,
    );
  }
  // An empty template: no sample hooks to copy, half the time of a plain `git init`.
  if (!existsSync(join(workspace, ".git"))) await git(["init", "-q", "--template="], workspace);
  return commitAll(workspace, "copilot-experiments baseline");
}
