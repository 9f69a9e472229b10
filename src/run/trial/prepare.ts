import type { ResolvedTask, ResolvedVariant } from "../../experiment/load.ts";
import type { GroupResult } from "../../process/run-group.ts";
import { ARTIFACTS } from "../../store/layout.ts";
import { commitWorkspace, provisionWorkspace, type Workspace } from "../../workspace/provision.ts";
import type { Snapshot } from "../../workspace/snapshot.ts";
import { firstLine, HarnessError } from "../context.ts";
import { runShell } from "./verify.ts";

/**
 * The first stage of a trial, shared with `check`: a fresh workspace (fixture or clone, the
 * variant's overlay and instructions, a baseline commit), then the task's setup commands, whose
 * changes are committed so the diff measures the agent's work alone.
 */

/** Provisioning failed: the fixture, clone or overlay could not be laid down. */
export class WorkspaceFailed extends HarnessError {
  constructor(readonly reason: string) {
    super(`workspace: ${reason}`);
  }
}

/** A setup command failed or timed out; its log is in setup.txt. */
export class SetupFailed extends HarnessError {
  constructor(
    readonly index: number,
    readonly command: string,
    readonly result: GroupResult,
    readonly output: string,
    timeoutS: number,
  ) {
    const why = result.timedOut ? `timed out after ${timeoutS}s` : `exit ${result.exitCode}`;
    super(`setup command ${index + 1} failed (${why}): ${command}`, ARTIFACTS.setup);
  }
}

export interface PrepareOptions {
  workspace: string;
  task: ResolvedTask;
  variant?: Pick<ResolvedVariant, "overlay_path" | "instructions">;
  root: string;
  /** The harness's own git directory over the workspace, outside it (ADR 0013). */
  harnessGitDir: string;
  /** The run's snapshot of the task's sources (ADR 0017); without one, they are copied or cloned. */
  snapshot?: Snapshot;
  /** The environment of setup commands (secrets/command-env.ts). */
  env: Record<string, string>;
  signal?: AbortSignal;
  /** The process scope of the setup commands (process/scope.ts). */
  scope?: string;
  /** The sandbox setup commands run in (run/sandbox-plan.ts). */
  prefix?: string[];
  /** Receives the setup log (commands and their output) when there is one. */
  onSetupLog?: (log: string) => void;
}

/** Provision the workspace and run setup; the result holds the commit the agent's diff is measured from. */
export async function prepareWorkspace(opts: PrepareOptions): Promise<Workspace> {
  const { workspace, task } = opts;
  let prepared: Workspace;
  try {
    prepared = await provisionWorkspace({
      workspace,
      task,
      variant: opts.variant,
      root: opts.root,
      harnessGitDir: opts.harnessGitDir,
      snapshot: opts.snapshot,
    });
  } catch (err) {
    throw new WorkspaceFailed(firstLine((err as Error).message));
  }
  if (task.setup.length === 0) return prepared;
  const log: string[] = [];
  for (const [i, command] of task.setup.entries()) {
    const { result, output } = await runShell(command, {
      cwd: workspace,
      env: opts.env,
      timeoutS: task.verify_timeout_s,
      signal: opts.signal,
      scope: opts.scope,
      prefix: opts.prefix,
    });
    log.push(`$ ${command}\n${output}`);
    if (result.aborted) throw new HarnessError("interrupted during setup");
    if (result.exitCode !== 0 || result.timedOut) {
      opts.onSetupLog?.(log.join("\n"));
      throw new SetupFailed(i, command, result, output, task.verify_timeout_s);
    }
  }
  opts.onSetupLog?.(log.join("\n"));
  // Measure the agent's changes from after setup, so setup's own files stay out of the diff.
  return {
    ...prepared,
    ...(await commitWorkspace(workspace, opts.harnessGitDir, "copilot-experiments setup")),
  };
}
