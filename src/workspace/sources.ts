import { cpSync, mkdirSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { ResolvedTask } from "../experiment/load.ts";
import { git } from "./git.ts";

/**
 * A task's sources laid down in a new folder: the fixture copied (from its real path, so a
 * fixture that is itself a link inside the root is copied, not linked), or `repo` cloned and
 * `ref` checked out with the user's git configuration (docs/adr/0013-containment.md). The
 * sources themselves are only read.
 */

/**
 * Copy a folder to a new place without following symlinks (links are copied as links);
 * `preserveTimes` keeps the files' modification times.
 */
export function copyTree(from: string, to: string, opts: { preserveTimes?: boolean } = {}): void {
  cpSync(from, to, {
    recursive: true,
    verbatimSymlinks: true,
    dereference: false,
    force: true,
    preserveTimestamps: opts.preserveTimes ?? false,
  });
}

/** A `repo` value: a URL or scp-style address is used as is, a path is relative to the root. */
export function repoSource(repo: string, root: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\s]+@[^:\s]+:/.test(repo) || isAbsolute(repo))
    return repo;
  return resolve(root, repo);
}

/** Lay the task's sources down at `dir`, which must not exist yet. */
export async function layDownSources(
  task: ResolvedTask,
  root: string,
  dir: string,
  opts: { preserveTimes?: boolean } = {},
): Promise<void> {
  mkdirSync(dirname(dir), { recursive: true });
  if (task.fixture_path) {
    copyTree(realpathSync(task.fixture_path), dir, opts);
  } else if (task.repo) {
    await git(["clone", "--quiet", "--no-hardlinks", repoSource(task.repo, root), dir], dirname(dir), {
      trusted: true,
    });
    if (task.ref) await git(["checkout", "--quiet", "--detach", task.ref], dir, { trusted: true });
  } else {
    mkdirSync(dir);
  }
}
