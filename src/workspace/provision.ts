import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { ResolvedTask } from "../experiment/load.ts";
import { BASELINE_MESSAGE, commitAll, git, type HarnessRepo } from "./git.ts";
import { type BaselineRepo, mirrorWorkspaceRepo, readBaselineRepo } from "./harness-repo.ts";
import { adoptBaseline, checkOutSnapshot, type Snapshot } from "./snapshot.ts";
import { layDownSources } from "./sources.ts";

export { copyTree, repoSource } from "./sources.ts";

export const INSTRUCTIONS_FILE = ".github/copilot-instructions.md";

/**
 * Throw unless `path`, inside `base`, can be written without passing through a symlink: a
 * fixture's link to a folder outside must not let an overlay or the instructions write there.
 */
function assertNoLinkOnTheWay(base: string, path: string): void {
  const rel = relative(base, path);
  let current = base;
  for (const part of rel.split(sep).slice(0, -1)) {
    current = join(current, part);
    if (isLink(current)) {
      throw new Error(
        `${rel} would be written through the symlink ${relative(base, current)} of the workspace`,
      );
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Lay `from` over an existing workspace, file by file, never writing through a link. */
function overlayTree(from: string, workspace: string, rel = ""): void {
  for (const entry of readdirSync(join(from, rel), { withFileTypes: true })) {
    const name = join(rel, entry.name);
    const target = join(workspace, name);
    assertNoLinkOnTheWay(workspace, target);
    if (entry.isDirectory()) {
      if (isLink(target)) {
        throw new Error(`${name} would be written through the symlink ${name} of the workspace`);
      }
      mkdirSync(target, { recursive: true });
      overlayTree(from, workspace, name);
    } else {
      // A file replaces whatever is there; a link in its place is removed, never written through.
      if (isLink(target)) rmSync(target);
      cpSync(join(from, name), target, { verbatimSymlinks: true, force: true });
    }
  }
}

/** A provisioned workspace: its baseline, and the harness's own repository over it. */
export interface Workspace {
  path: string;
  baseline: string;
  repo: HarnessRepo;
  /** The workspace's `.git` config and alternates as the harness left them: restored after the agent. */
  baselineRepo: BaselineRepo;
  /** The run's snapshot the workspace was checked out from, whose objects it borrows. */
  snapshot?: Snapshot;
}

/**
 * Fresh workspace for one trial: the fixture copied (or the repo cloned at `ref`) — or, in a
 * run, checked out from the run's snapshot of them — the variant's overlay and instructions laid
 * over it, then a baseline commit in the workspace's own `.git` (what the agent sees) mirrored
 * into `harnessGitDir` (what the harness diffs against). What the variant added before the
 * baseline never shows in the diff. The source folders are only read.
 */
export async function provisionWorkspace(opts: {
  workspace: string;
  task: ResolvedTask;
  root: string;
  /** A folder the harness owns, outside the workspace, for its own repository. */
  harnessGitDir: string;
  /** What a variant lays over the workspace before the baseline. */
  variant?: { overlay_path?: string; instructions?: string };
  /** The run's snapshot of the task's sources (docs/adr/0017-shared-snapshots-and-workspace-retention.md). */
  snapshot?: Snapshot;
}): Promise<Workspace> {
  const { workspace, task } = opts;
  const variant = opts.variant ?? {};
  mkdirSync(dirname(workspace), { recursive: true });
  if (existsSync(workspace) || isLink(workspace)) throw new Error(`${workspace} already exists`);
  if (opts.snapshot) checkOutSnapshot(opts.snapshot, workspace);
  else await layDownSources(task, opts.root, workspace);
  if (isLink(workspace) || !lstatSync(workspace).isDirectory()) {
    throw new Error(`the workspace ${workspace} is not a folder of its own`);
  }
  // The snapshot's baseline commit is this workspace's when nothing is laid over it.
  const laidOver = variant.overlay_path !== undefined || variant.instructions !== undefined;
  if (opts.snapshot && !laidOver && adoptBaseline(opts.snapshot, workspace)) {
    return {
      ...mirrorWorkspace(workspace, opts.harnessGitDir, opts.snapshot.baseline),
      snapshot: opts.snapshot,
    };
  }
  if (variant.overlay_path) overlayTree(realpathSync(variant.overlay_path), workspace);
  if (variant.instructions !== undefined) {
    const file = join(workspace, INSTRUCTIONS_FILE);
    assertNoLinkOnTheWay(workspace, file);
    if (isLink(file)) throw new Error(`${INSTRUCTIONS_FILE} in the workspace is a symlink`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      variant.instructions.endsWith("\n") ? variant.instructions : `${variant.instructions}\n`,
    );
  }
  // An empty template: no sample hooks to copy, half the time of a plain `git init`.
  if (!existsSync(join(workspace, ".git"))) await git(["init", "-q", "--template="], workspace);
  const committed = await commitWorkspace(workspace, opts.harnessGitDir, BASELINE_MESSAGE);
  return { ...committed, snapshot: opts.snapshot };
}

/**
 * Commit the workspace as it is (the baseline, or the baseline plus `setup`) and mirror it into
 * the harness repository. Only while the agent has not run: the workspace's config is trusted.
 */
export async function commitWorkspace(
  workspace: string,
  harnessGitDir: string,
  message: string,
): Promise<Omit<Workspace, "snapshot">> {
  const baseline = await commitAll(workspace, message);
  return mirrorWorkspace(workspace, harnessGitDir, baseline);
}

/** The workspace at its baseline commit, mirrored into the harness repository. */
function mirrorWorkspace(
  workspace: string,
  harnessGitDir: string,
  baseline: string,
): Omit<Workspace, "snapshot"> {
  return {
    path: workspace,
    baseline,
    repo: mirrorWorkspaceRepo(workspace, harnessGitDir),
    baselineRepo: readBaselineRepo(workspace),
  };
}
