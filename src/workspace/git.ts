import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnChild } from "../process/children.ts";

/**
 * Git as the harness uses it. Two rules (docs/adr/0013-containment.md):
 *
 * - Hermetic by default: no system or global configuration, no hooks, no fsmonitor, no pager,
 *   no external diff or textconv, and an environment with nothing of the user's but PATH and
 *   locale — so no secret reaches a git process and nothing configured outside the call runs.
 *   Only cloning a task's `repo` (before any agent exists) uses the user's configuration and
 *   environment, so private repositories clone as they do for the user.
 * - After the agent has run, the harness never uses the workspace's own `.git` (the agent
 *   controls its config, hooks and attributes drivers): see `HarnessRepo`.
 *
 * Fixed identity and dates make baseline commits reproducible. Failures throw: a git failure is
 * an error, never an empty diff.
 */

export const BASELINE_IDENTITY = { name: "copilot-experiments", email: "copilot-experiments@localhost" };
const FIXED_DATE = "2000-01-01T00:00:00Z";

/** Settings that hold whatever a repository's own config says (`-c` wins over every file). */
const CONFIG: [string, string][] = [
  ["core.longpaths", "true"],
  ["core.hooksPath", "/dev/null"],
  ["core.fsmonitor", "false"],
  ["core.pager", "cat"],
  ["core.autocrlf", "false"],
  ["commit.gpgsign", "false"],
  // A commit would otherwise start `git maintenance run --auto` in the background of every trial.
  ["maintenance.auto", "false"],
  ["gc.auto", "0"],
  ["init.defaultBranch", "main"],
  ["user.name", BASELINE_IDENTITY.name],
  ["user.email", BASELINE_IDENTITY.email],
];

/** The harness's own git directory over a workspace: the agent never configured it. */
export interface HarnessRepo {
  gitDir: string;
  workTree: string;
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (exit ${exitCode}): ${stderr.trim().split("\n").slice(-1)[0] ?? ""}`);
    this.name = "GitError";
  }
}

const KEPT_VARIABLES = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SYSTEMROOT"];

/** Environment of a hermetic git call: PATH and locale only, no configuration files. */
export function hermeticGitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of KEPT_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    HOME: "/nonexistent",
    XDG_CONFIG_HOME: "/nonexistent",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_ATTR_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_DATE: FIXED_DATE,
  };
}

export interface GitOptions {
  /** Use the user's environment and git configuration (cloning a task's `repo` only). */
  trusted?: boolean;
  /** Variables added to a hermetic call's environment (nothing secret). */
  env?: Record<string, string>;
}

/** Run git in `where`: a folder, or the harness's own repository over a workspace. */
export async function git(
  args: string[],
  where: string | HarnessRepo,
  opts: GitOptions = {},
): Promise<string> {
  const env: Record<string, string> = opts.trusted
    ? {
        ...(process.env as Record<string, string>),
        GIT_TERMINAL_PROMPT: "0",
        GIT_AUTHOR_DATE: FIXED_DATE,
        GIT_COMMITTER_DATE: FIXED_DATE,
      }
    : { ...hermeticGitEnv(), ...opts.env };
  const location =
    typeof where === "string" ? [] : [`--git-dir=${where.gitDir}`, `--work-tree=${where.workTree}`];
  const cwd = typeof where === "string" ? where : where.workTree;
  const proc = spawnChild(["git", ...CONFIG.flatMap(([k, v]) => ["-c", `${k}=${v}`]), ...location, ...args], {
    cwd,
    env,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new GitError(args, code, stderr);
  return stdout;
}

/** Stage everything and commit (even when nothing changed); returns the new commit's sha. */
export async function commitAll(where: string | HarnessRepo, message: string): Promise<string> {
  await git(["add", "-A"], where);
  await git(["commit", "-q", "--allow-empty", "--no-verify", "-m", message], where);
  const gitDir = typeof where === "string" ? join(where, ".git") : where.gitDir;
  return readHead(gitDir) ?? (await git(["rev-parse", "HEAD"], where)).trim();
}

/** The message of every baseline commit (provision.ts, snapshot.ts). */
export const BASELINE_MESSAGE = "copilot-experiments baseline";

/** HEAD's sha read from the git dir directly (a commit just wrote the loose ref); saves a process. */
export function readHead(gitDir: string): string | undefined {
  try {
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    const sha = head.startsWith("ref: ") ? readFileSync(join(gitDir, head.slice(5)), "utf8").trim() : head;
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

export interface DiffStat {
  files: number;
  added: number;
  removed: number;
}

/**
 * The workspace's changes since `baseline` (whatever the agent committed, reset or rewrote in its
 * own `.git`), as a patch and as git's numstat. Binary files count as changed files with 0 lines.
 */
export async function diffSince(
  where: string | HarnessRepo,
  baseline: string,
): Promise<{ patch: string; stat: DiffStat }> {
  await git(["add", "-A"], where);
  // One git call for both: numstat lines, a blank line, then the patch.
  const out = await git(
    ["diff", "--cached", "--numstat", "--patch", "--no-color", "--no-ext-diff", "--no-textconv", baseline],
    where,
  );
  const split = out.indexOf("\n\n");
  const numstat = split >= 0 ? out.slice(0, split) : out;
  const patch = split >= 0 ? out.slice(split + 2) : "";
  const stat: DiffStat = { files: 0, added: 0, removed: 0 };
  for (const line of numstat.split("\n")) {
    const [added, removed] = line.split("\t");
    if (added === undefined || removed === undefined) continue;
    stat.files += 1;
    stat.added += Number(added) || 0;
    stat.removed += Number(removed) || 0;
  }
  return { patch, stat };
}

/** `git --version`, or undefined when git is missing. */
export async function gitVersion(): Promise<string | undefined> {
  if (!Bun.which("git")) return undefined;
  try {
    const proc = spawnChild(["git", "--version"], {
      stdout: "pipe",
      stderr: "ignore",
      env: hermeticGitEnv(),
    });
    const out = await new Response(proc.stdout).text();
    return (await proc.exited) === 0 ? out.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** HEAD of the folder's repository, if it is one (the experiment root's, recorded in run.json). */
export async function headOf(cwd: string): Promise<string | undefined> {
  try {
    return (await git(["rev-parse", "HEAD"], cwd)).trim();
  } catch {
    return undefined;
  }
}
