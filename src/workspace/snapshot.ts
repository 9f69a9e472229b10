import {
  chmodSync,
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ResolvedTask } from "../experiment/load.ts";
import { BASELINE_MESSAGE, git } from "./git.ts";
import { restatIndex } from "./index-stat.ts";
import { copyTree, layDownSources } from "./sources.ts";

/**
 * A run's snapshot of a task's sources (docs/adr/0017-shared-snapshots-and-workspace-retention.md):
 * the fixture copied (or `repo` cloned at `ref`) once, when the run first needs it, with every
 * file hashed into git objects once and the baseline commit made once. Each trial's workspace is a copy of the snapshot's files
 * whose ordinary `.git` borrows the snapshot's objects (`objects/info/alternates`) instead of
 * re-hashing and storing every file again; the harness's own repository borrows them too.
 *
 * The objects are read-only by file mode and never appear inside a workspace as a file (no hard
 * link), so nothing an agent does to the files of its own workspace reaches them. A workspace
 * that is kept gets the objects linked in when its trial ends (`detachFromSnapshot`), so it
 * outlives the snapshot, which is removed when the run slice ends.
 */

export interface Snapshot {
  /** The sources as the run first saw them: a work tree and its `.git`. */
  dir: string;
  /** The snapshot's object store, which every workspace of the task borrows. */
  objects: string;
  /** The baseline commit of a workspace nothing is laid over (`adoptBaseline`). */
  baseline: string;
}

const GIT = ".git";

/**
 * git sets up and frees a 256 KB zlib state per file; glibc hands it back to the kernel each
 * time, and where growing the heap is slow (146 µs a call in a VM measured for
 * docs/benchmarks.md) that was most of a snapshot's time (19 s instead of 4 s for 5,000 files).
 * Keeping freed memory avoids it; other C libraries ignore the variable.
 */
const SNAPSHOT_MALLOC = "glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=16777216";

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Every file under `dir` read-only (the folders stay writable, so a plain `rm -rf` removes it). */
function makeFilesReadOnly(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeFilesReadOnly(path);
    else if (entry.isFile()) chmodSync(path, 0o444);
  }
}

/** Snapshot the task's sources at `dir` (a new folder): files, a `.git`, every file hashed. */
export async function buildSnapshot(opts: {
  task: ResolvedTask;
  root: string;
  dir: string;
}): Promise<Snapshot> {
  const { dir } = opts;
  try {
    // The fixture's modification times are kept, here and in every copy: a copy's files are
    // then older than the index written after it, so git trusts their stat data (index-stat.ts).
    await layDownSources(opts.task, opts.root, dir, { preserveTimes: true });
    const gitDir = join(dir, GIT);
    const stat = lstatOrUndefined(gitDir);
    if (!stat) await git(["init", "-q", "--template="], dir);
    else if (!stat.isDirectory()) {
      throw new Error(
        "the task's sources have a .git that is a link or a file pointing elsewhere; give a folder without one, or a repository",
      );
    }
    // Bulk check-in: with every file "big", `add` streams the blobs into one pack instead of
    // writing a loose object per file (only this call sees the setting: it would make later
    // diffs treat files as binary), compressed fast (the pack lives as long as the run).
    // Then the trees, so a trial's baseline writes only its commit.
    await git(["-c", "core.bigFileThreshold=1", "-c", "core.compression=1", "add", "-A"], dir, {
      env: { GLIBC_TUNABLES: SNAPSHOT_MALLOC },
    });
    const tree = (await git(["write-tree"], dir)).trim();
    // The baseline commit too, as an object only (HEAD stays where the sources left it, for
    // workspaces a variant lays files over). Fixed identity and dates make it the very commit a
    // trial would make: a workspace nothing is laid over needs no git process (provision.ts).
    // A history only when the sources brought one (a `.git` of their own, or a clone).
    const parent = stat
      ? (await git(["rev-parse", "-q", "--verify", "HEAD^{commit}"], dir).catch(() => "")).trim()
      : "";
    const baseline = (
      await git(["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", BASELINE_MESSAGE], dir)
    ).trim();
    const objects = join(gitDir, "objects");
    makeFilesReadOnly(objects);
    return { dir, objects, baseline };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The same snapshot after its folder moved to `dir`: nothing in it records its own path. */
export function relocateSnapshot(snapshot: Snapshot, dir: string): Snapshot {
  return { ...snapshot, dir, objects: join(dir, GIT, "objects") };
}

/**
 * A workspace from the snapshot: its files copied (links as links, modification times kept),
 * its `.git` copied but for the objects, which it borrows, and its index pointed at the copies.
 * `workspace` must not exist.
 */

export function checkOutSnapshot(snapshot: Snapshot, workspace: string): void {
  mkdirSync(workspace, { mode: statSync(snapshot.dir).mode & 0o7777 });
  for (const name of readdirSync(snapshot.dir)) {
    if (name !== GIT) copyTree(join(snapshot.dir, name), join(workspace, name), { preserveTimes: true });
  }
  const from = join(snapshot.dir, GIT);
  const to = join(workspace, GIT);
  mkdirSync(to);
  for (const name of readdirSync(from)) {
    if (name !== "objects") copyTree(join(from, name), join(to, name));
  }
  mkdirSync(join(to, "objects", "info"), { recursive: true });
  mkdirSync(join(to, "objects", "pack"));
  writeFileSync(join(to, "objects", "info", "alternates"), `${snapshot.objects}\n`);
  restatIndex(join(to, "index"), workspace);
}

/**
 * Move a workspace checked out from the snapshot to the snapshot's baseline commit, as `git
 * commit` would (the branch HEAD names, or HEAD itself when detached): its files and index are
 * already the baseline's. Only before the agent runs. False when it cannot (refs not kept in
 * files, an odd HEAD, a link on the way): the caller commits instead.
 */
export function adoptBaseline(snapshot: Snapshot, workspace: string): boolean {
  const gitDir = join(workspace, GIT);
  // Refs in a reftable, not in files: let git commit (the caller falls back to it).
  if (/refstorage\s*=\s*reftable/i.test(readFileSync(join(gitDir, "config"), "utf8"))) return false;
  const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  const ref = head.startsWith("ref: ") ? head.slice(5) : "HEAD";
  if (!/^(HEAD|refs\/heads\/[^\0]+)$/.test(ref) || ref.split("/").includes("..")) return false;
  // Written as a loose ref, which git reads before packed-refs. The sources' own refs folder
  // may hold links: a link on the way is refused, never written through.
  const target = join(gitDir, ref);
  for (let at = dirname(target); at !== gitDir && at.startsWith(gitDir); at = dirname(at)) {
    if (lstatOrUndefined(at)?.isSymbolicLink()) return false;
  }
  if (lstatOrUndefined(target)?.isSymbolicLink()) return false;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${snapshot.baseline}\n`);
  return true;
}

/** `path` as a real folder: a link or file the agent put in its place is removed first. */
function ensureRealDir(path: string): void {
  const stat = lstatOrUndefined(path);
  if (stat?.isDirectory()) return;
  if (stat) rmSync(path, { force: true });
  mkdirSync(path);
}

/** Hard-link (across file systems, copy) every object file of `from` into `to`, replacing what is there. */
function linkObjects(from: string, to: string, rel = ""): void {
  ensureRealDir(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      linkObjects(source, target, name);
    } else if (entry.isFile() && name !== "info/alternates") {
      const existing = lstatOrUndefined(target);
      if (existing) rmSync(target, { recursive: existing.isDirectory(), force: true });
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/**
 * Make a kept workspace's repository self-contained once its trial is over: the snapshot's
 * objects linked in (a finished trial's agent is gone, and the snapshot is removed when the run
 * slice ends), and its alternates replaced by the snapshot's own (a source repository that
 * borrows objects), if any. Never writes through a link the agent left in `.git`.
 */
export function detachFromSnapshot(workspace: string, snapshot: Snapshot): void {
  const gitDir = join(workspace, GIT);
  if (!lstatOrUndefined(gitDir)?.isDirectory()) return;
  const objects = join(gitDir, "objects");
  linkObjects(snapshot.objects, objects);
  const alternates = join(objects, "info", "alternates");
  rmSync(alternates, { recursive: true, force: true });
  let inherited = "";
  try {
    inherited = readFileSync(join(snapshot.objects, "info", "alternates"), "utf8");
  } catch {
    return;
  }
  // Relative entries are relative to the snapshot's objects, which go away: made absolute.
  const lines = inherited
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => (isAbsolute(l) ? l : resolve(snapshot.objects, l)));
  if (lines.length) writeFileSync(alternates, `${lines.join("\n")}\n`, { flag: "wx" });
}
