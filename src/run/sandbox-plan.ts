import { existsSync, readlinkSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { Experiment } from "../experiment/load.ts";
import type { SandboxMode } from "../experiment/schema.ts";
import { type BwrapProbe, bwrapArgs, probeBwrap } from "../sandbox/bwrap.ts";

/**
 * How the trials of a run are sandboxed (README, Sandbox; docs/adr/0014-sandbox.md): the mode
 * the experiment (or `run --sandbox`) asks for, resolved once per run against what this machine
 * can do. `auto` is bwrap where it works, else none with one line saying why.
 */

export interface SandboxPlan {
  /** What trials actually run in. */
  mode: "bwrap" | "none";
  /** What was asked for. */
  requested: SandboxMode;
  bwrap?: string;
  /** Paths the experiment lets the agent write besides its own (absolute). */
  writable: string[];
  /**
   * The experiment root, readable as it is outside the sandbox even under /tmp (where the private
   * /tmp would hide it): MCP servers and tools a variant names may live there.
   */
  root: string;
  /** Why `auto` fell back to none. */
  note?: string;
}

let probed: Promise<BwrapProbe> | undefined;

/** One probe per process: every experiment of a run (and `doctor`) shares it. */
export function probeOnce(): Promise<BwrapProbe> {
  probed ??= probeBwrap();
  return probed;
}

export async function planSandbox(experiment: Experiment, override?: SandboxMode): Promise<SandboxPlan> {
  const requested = override ?? experiment.sandbox;
  const writable = experiment.sandbox_writable;
  const root = experiment.root;
  if (requested === "none") return { mode: "none", requested, writable, root };
  const probe = await probeOnce();
  if (probe.ok) {
    const missing = writable.find((path) => !existsSync(path));
    if (missing)
      throw new UserError(`${experiment.file}: sandbox_writable names ${missing}, which does not exist`, {
        hint: `create it (mkdir -p ${missing}) or remove it from sandbox_writable: bubblewrap can only bind existing paths`,
      });
    return { mode: "bwrap", requested, bwrap: probe.path, writable, root };
  }
  if (requested === "auto") return { mode: "none", requested, writable, root, note: probe.reason };
  throw new UserError(`sandbox: bwrap was asked for (${experiment.file}), but ${probe.reason}`, {
    hint: probe.hint,
  });
}

/**
 * The command prefix that runs one of a trial's processes in its sandbox: the workspace and the
 * trial's staging folder (its COPILOT_HOME, caches, logs) writable, plus the experiment's
 * `sandbox_writable` and, with `--no-isolate-home`, the user's own Copilot home.
 */
export function sandboxPrefix(
  plan: SandboxPlan | undefined,
  trial: {
    workspace: string;
    staging?: string;
    isolateHome?: boolean;
    env?: Record<string, string | undefined>;
    /** The Copilot executable: readable in the sandbox wherever it lies. */
    executable?: string;
    /** More paths to keep readable wherever they lie (an MCP server's script). */
    readable?: string[];
  },
): string[] | undefined {
  if (plan?.mode !== "bwrap" || !plan.bwrap) return undefined;
  const writable = [trial.workspace, ...plan.writable];
  if (trial.staging) writable.push(trial.staging);
  if (trial.isolateHome === false) writable.push(trial.env?.COPILOT_HOME ?? join(homedir(), ".copilot"));
  const readable = [
    plan.root,
    ...(trial.executable ? executableFolders(trial.executable) : []),
    trial.env?.COPILOT_PKG_CACHE_HOME,
    ...(trial.readable ?? []),
  ].filter((p): p is string => !!p);
  return bwrapArgs({ bwrap: plan.bwrap, writable, readable, cwd: trial.workspace });
}

/**
 * What an executable needs to be readable: its folder, its real path's package when it is a link
 * (node_modules/.bin), and the whole node_modules tree it lies in — an npm-installed CLI loads
 * its platform package from a sibling folder there. Every hop of a chain of links counts: a hop
 * under /tmp (hidden by the sandbox's private /tmp) must be bound for the link to resolve.
 */
function executableFolders(executable: string): string[] {
  const paths = [executable, ...linkHops(executable)];
  let real: string | undefined;
  try {
    real = realpathSync(executable);
    paths.push(real);
  } catch {
    // not there: the run will say so
  }
  const folders = paths.map((p) => dirname(p));
  if (real) folders.push(dirname(dirname(real)));
  for (const p of paths) {
    const at = p.indexOf("/node_modules/");
    if (at >= 0) folders.push(p.slice(0, at + "/node_modules".length));
  }
  return [...new Set(folders)];
}

/** The paths a link leads through, one `readlink` at a time (as the kernel follows it). */
function linkHops(path: string): string[] {
  const hops: string[] = [];
  let at = path;
  // The kernel gives up after 40 links; so does this.
  for (let i = 0; i < 40; i++) {
    let target: string;
    try {
      target = readlinkSync(at);
    } catch {
      break; // not a link (or gone): the chain ends here
    }
    at = resolve(dirname(at), target);
    hops.push(at);
  }
  return hops;
}
