import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Git as the harness uses it: fixed identity and dates (reproducible baseline commits), no user
 * hooks or signing, long paths on. Failures throw: a git failure is an error, never an empty diff.
 */

export const BASELINE_IDENTITY = { name: "copilot-experiments", email: "copilot-experiments@localhost" };
const FIXED_DATE = "2000-01-01T00:00:00Z";

const CONFIG = [
  "-c",
  "core.longpaths=true",
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "core.autocrlf=false",
  "-c",
  "init.defaultBranch=main",
  "-c",
  `user.name=${BASELINE_IDENTITY.name}`,
  "-c",
  `user.email=${BASELINE_IDENTITY.email}`,
];

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

export async function git(
  args: string[],
  cwd: string,
  opts: { env?: Record<string, string> } = {},
): Promise<string> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_DATE: FIXED_DATE,
    ...opts.env,
  };
  const proc = Bun.spawn(["git", ...CONFIG, ...args], {
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
export async function commitAll(cwd: string, message: string): Promise<string> {
  await git(["add", "-A"], cwd);
  await git(["commit", "-q", "--allow-empty", "--no-verify", "-m", message], cwd);
  return readHead(cwd) ?? (await git(["rev-parse", "HEAD"], cwd)).trim();
}

/** HEAD's sha read from `.git` directly (a commit just wrote the loose ref); saves a process per trial. */
function readHead(cwd: string): string | undefined {
  try {
    const head = readFileSync(join(cwd, ".git", "HEAD"), "utf8").trim();
    const sha = head.startsWith("ref: ")
      ? readFileSync(join(cwd, ".git", head.slice(5)), "utf8").trim()
      : head;
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
 * The workspace's changes since `baseline` (including anything the agent committed itself),
 * as a patch and as git's numstat. Binary files count as changed files with 0 lines.
 */
export async function diffSince(cwd: string, baseline: string): Promise<{ patch: string; stat: DiffStat }> {
  await git(["add", "-A"], cwd);
  // One git call for both: numstat lines, a blank line, then the patch.
  const out = await git(
    ["diff", "--cached", "--numstat", "--patch", "--no-color", "--no-ext-diff", baseline],
    cwd,
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
    const proc = Bun.spawn(["git", "--version"], { stdout: "pipe", stderr: "ignore" });
    const out = await new Response(proc.stdout).text();
    return (await proc.exited) === 0 ? out.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** HEAD of the folder's repository, if it is one (recorded in run.json). */
export async function headOf(cwd: string): Promise<string | undefined> {
  try {
    return (await git(["rev-parse", "HEAD"], cwd)).trim();
  } catch {
    return undefined;
  }
}
