import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { git, type HarnessRepo, readHead } from "./git.ts";

/**
 * The harness's own repository over a workspace (docs/adr/0013-containment.md). The workspace
 * keeps an ordinary `.git` for the agent; before the agent starts, its objects are mirrored into
 * a git dir the harness owns (hard links: objects never change, so this costs no copy), with a
 * config the harness wrote. After the agent, the diff is taken there: the agent's config, hooks,
 * fsmonitor, filter and diff drivers are never read, and an agent that deletes or rewrites its
 * `.git` does not lose the baseline.
 */

const HARNESS_CONFIG = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = false
\tlogallrefupdates = false
`;

/** Where a repository borrows objects from (a run's snapshot, ADR 0017): never shared by a link. */
const ALTERNATES = "info/alternates";

/**
 * Hard-link (or, across file systems, copy) every object file of `from` that `to` lacks. The
 * alternates file is copied: a link would let the agent, rewriting its own in place, point the
 * harness's repository at objects of its choosing.
 */
function mirrorFiles(from: string, to: string, rel = ""): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      mirrorFiles(source, target, name);
    } else if (entry.isFile() && name === ALTERNATES) {
      writeFileSync(target, readFileSync(source));
    } else if (entry.isFile() && !existsSync(target)) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/**
 * Make (or bring up to date) the harness repository of `workspace` at `gitDir`, at the
 * workspace's current HEAD. Called only while the harness alone has touched the workspace.
 */
export function mirrorWorkspaceRepo(workspace: string, gitDir: string): HarnessRepo {
  const own = join(workspace, ".git");
  const head = readHead(own);
  if (!head) throw new Error(`the workspace repository has no commit to mirror (${own})`);
  mirrorFiles(join(own, "objects"), join(gitDir, "objects"));
  mkdirSync(join(gitDir, "refs"), { recursive: true });
  writeFileSync(join(gitDir, "config"), HARNESS_CONFIG);
  writeFileSync(join(gitDir, "HEAD"), `${head}\n`);
  // The index holds the stat data of the work tree: with it, `add -A` re-reads only what changed.
  copyFileSync(join(own, "index"), join(gitDir, "index"));
  return { gitDir, workTree: workspace };
}

/** Reset the harness index to `commit` when a copied index cannot be used. */
export async function resetHarnessIndex(repo: HarnessRepo, commit: string): Promise<void> {
  rmSync(join(repo.gitDir, "index"), { force: true });
  await git(["read-tree", commit], repo);
}

/** The workspace `.git`'s config and alternates as the harness left them (read before the agent starts). */
export interface BaselineRepo {
  config?: string;
  alternates?: string;
}

/**
 * What the harness leaves of the workspace's `.git` once the agent is done: the config and
 * alternates it had at the baseline, no hooks, no attributes the agent added, and no `.git`
 * that is a link or a file pointing elsewhere — so a person who later runs git in the stored
 * workspace does not run what the agent configured.
 */
export function defuseWorkspaceRepo(workspace: string, baseline: BaselineRepo): void {
  const own = join(workspace, ".git");
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(own);
  } catch {
    return; // the agent removed it
  }
  if (!stat.isDirectory()) {
    rmSync(own, { force: true });
    return;
  }
  for (const rel of [
    "config",
    "hooks",
    "info/attributes",
    "objects/info/alternates",
    "commondir",
    "gitdir",
  ]) {
    removeInside(own, rel);
  }
  // Unlinked first: a `config` the agent made a symlink must not be written through.
  if (baseline.config !== undefined) writeFileSync(join(own, "config"), baseline.config, { flag: "wx" });
  if (baseline.alternates !== undefined) writeInside(own, `objects/${ALTERNATES}`, baseline.alternates);
}

/**
 * The folder that holds `base/rel`, walked one real folder at a time: undefined when a folder on
 * the way is not a real folder (a link the agent planted: its target is not ours to touch), or
 * is missing and `create` is not set.
 */
function parentInside(base: string, rel: string, create: boolean): string | undefined {
  let dir = base;
  for (const part of rel.split("/").slice(0, -1)) {
    dir = join(dir, part);
    try {
      if (!lstatSync(dir).isDirectory()) return undefined;
    } catch {
      if (!create) return undefined;
      mkdirSync(dir);
    }
  }
  return dir;
}

/** Write `base/rel` as a new file, never through a link on the way. */
function writeInside(base: string, rel: string, content: string): void {
  const dir = parentInside(base, rel, true);
  if (dir) writeFileSync(join(dir, basename(rel)), content, { flag: "wx" });
}

/** Remove `base/rel` (a file, link or folder) without following a link on the way. */
function removeInside(base: string, rel: string): void {
  const dir = parentInside(base, rel, false);
  if (dir) rmSync(join(dir, basename(rel)), { recursive: true, force: true });
}

function readIfAny(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The workspace repository's config and alternates as the harness made them (read before the agent starts). */
export function readBaselineRepo(workspace: string): BaselineRepo {
  const own = join(workspace, ".git");
  return { config: readIfAny(join(own, "config")), alternates: readIfAny(join(own, "objects", ALTERNATES)) };
}
