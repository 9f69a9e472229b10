import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childScope, runScope, scopeTag } from "../../process/scope.ts";
import { commandEnv } from "../../secrets/command-env.ts";
import { ARTIFACTS, trialName } from "../../store/layout.ts";
import type { TrialMeta } from "../../store/schema.ts";
import type { TrialMetrics } from "../../store/session-schema.ts";
import type { TrialWriter } from "../../store/writer.ts";
import type { Workspace } from "../../workspace/provision.ts";
import type { Snapshot } from "../../workspace/snapshot.ts";
import { firstLine, HarnessError, type RunContext, type TrialCell } from "../context.ts";
import { sandboxPrefix } from "../sandbox-plan.ts";
import { type Collected, collectArtifacts } from "./collect.ts";
import { invokeCopilot, planInvocation, recordedCommand } from "./invoke.ts";
import { blankMeta } from "./meta.ts";
import { prepareWorkspace, WorkspaceFailed } from "./prepare.ts";
import { keepsWorkspace, retainWorkspace } from "./retain.ts";
import { runVerify } from "./verify.ts";

/**
 * One trial through the pipeline (README, "How a trial runs"): plan the invocation, prepare the
 * workspace, invoke Copilot, collect its artifacts, verify, and write meta.json last. Never
 * throws for a trial's own failure: that becomes the status in meta.json.
 */

export interface TrialOutcome {
  /** Why the prepared trial's agent never started (its gate said so); meta.json is not written. */
  notRun?: NotRun;
  meta: TrialMeta;
  /** metrics.json as written, for the run's budget and summary; null without a session. */
  metrics: TrialMetrics | null;
  /** The trial's folder. */
  dir: string;
}

/** A trial that must not start after all: the run's budget is spent, or the run was interrupted. */
export interface NotRun {
  status: "skipped" | "interrupted";
  reason: string;
}

/** Where a trial waits between its stages (run/stages.ts); the waits are not the trial's time. */
export interface TrialGates {
  /** The workspace is ready: wait for an agent slot; the reason not to run after all, if any. */
  agent(): Promise<NotRun | undefined>;
  /** The agent's process exists. */
  agentStarted(): void;
  /** The agent's process has exited (what it left is still being killed): its slot goes on. */
  agentExited(): void;
  /** The agent and all it left are gone: wait for a slot to collect and verify in. */
  agentEnded(): Promise<void>;
}

class NotStarted extends Error {
  constructor(readonly notRun: NotRun) {
    super(notRun.reason);
  }
}

/** Every process of a trial carries this scope (process/scope.ts; ADR 0013). */
export function trialScope(runDir: string, cell: TrialCell): string {
  return childScope(runScope(runDir), cell.variant.slug, cell.task.slug, trialName(cell.trial));
}

/** Prefix of a trial's staging folder in the temp folder: raw, unredacted output lives there. */
export function stagingPrefix(runDir: string, cell: TrialCell): string {
  return `cx-trial-${scopeTag(trialScope(runDir, cell))}-`;
}

export async function runTrial(ctx: RunContext, cell: TrialCell, gates?: TrialGates): Promise<TrialOutcome> {
  const { variant, task, trial } = cell;
  const started = new Date();
  let waitedMs = 0;
  const meta = blankMeta(ctx, cell, "harness_error", started.toISOString());
  const staging = mkdtempSync(join(tmpdir(), stagingPrefix(ctx.writer.dir, cell)));
  let writer: TrialWriter = ctx.writer.trial(variant.slug, task.slug, trial).create();
  let metrics: TrialMetrics | null = null;
  const scope = trialScope(ctx.writer.dir, cell);
  let snapshot: Snapshot | undefined;
  let workspace: Workspace | undefined;
  let notRun: NotRun | undefined;
  try {
    const plan = planInvocation(ctx, cell, {
      workspace: writer.workspace,
      staging,
      sessionId: crypto.randomUUID(),
      scope,
    });
    writer = writer.withSecrets(plan.secrets);
    writer.writePrompt(task.prompt);
    // Setup and verify run code the agent controls: the agent's scrubbed environment.
    const env = commandEnv(ctx.baseEnv, {
      interpolated: ctx.experiment.variables_read,
      allow: task.verify_env,
    });
    snapshot = await ctx.snapshotOf?.(task).catch((err: Error) => {
      throw new WorkspaceFailed(`snapshot of the task's sources: ${firstLine(err.message)}`);
    });
    workspace = await prepareWorkspace({
      workspace: writer.workspace,
      harnessGitDir: writer.harnessGitDir,
      snapshot,
      task,
      variant,
      root: ctx.experiment.root,
      env,
      signal: ctx.signal,
      scope,
      prefix: sandboxPrefix(ctx.sandbox, { workspace: writer.workspace }),
      onSetupLog: (log) => writer.writeSetupLog(log),
    });
    meta.baseline_commit = workspace.baseline;
    if (gates) {
      const waitStarted = performance.now();
      const notRun = await gates.agent();
      waitedMs += performance.now() - waitStarted;
      if (notRun) throw new NotStarted(notRun);
    }

    meta.session_id = plan.sessionId;
    meta.secret_env_vars = plan.invocation.secretEnvVars;
    meta.command = recordedCommand(plan.invocation);
    const result = await invokeCopilot(ctx, cell, plan, writer, {
      onStarted: gates?.agentStarted,
      onExited: gates?.agentExited,
    });
    meta.copilot_exit_code = result.exitCode;
    meta.copilot_signal = result.signal;
    meta.timed_out = result.timedOut;
    meta.copilot_duration_s = result.durationMs / 1000;
    if (gates) {
      const waitStarted = performance.now();
      await gates.agentEnded();
      waitedMs += performance.now() - waitStarted;
    }

    const collected = await collectArtifacts(result, {
      plan,
      writer,
      staging,
      workspace,
      timeoutS: task.timeout_s,
    });
    metrics = collected.metrics;
    meta.error = collected.error;
    meta.error_artifact = collected.errorArtifact;
    meta.status = await verifyTrial(ctx, cell, collected, { meta, writer, env, scope });
  } catch (err) {
    if (err instanceof NotStarted) notRun = err.notRun;
    meta.status = ctx.signal.aborted ? "interrupted" : "harness_error";
    meta.error =
      err instanceof HarnessError
        ? err.message
        : `harness: ${firstLine(String((err as Error)?.message ?? err))}`;
    meta.error_artifact = err instanceof HarnessError ? err.artifact : null;
    meta.success = null;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    writer.removeHarnessGit();
  }
  if (notRun) return { notRun, meta, metrics: null, dir: writer.dir };
  // Before meta.json: a finished trial never depends on the run's snapshot.
  const problem = retainWorkspace(writer, {
    keep: keepsWorkspace(ctx.keepWorkspaces, meta),
    workspace,
    snapshot,
  });
  if (problem) meta.error ??= problem;
  const finished = new Date();
  meta.finished_at = finished.toISOString();
  meta.duration_s = (finished.getTime() - started.getTime() - waitedMs) / 1000;
  writer.writeMeta(meta);
  return { meta, metrics, dir: writer.dir };
}

/**
 * Verify a trial that ran (ok or timeout) when the task is graded: success and flakiness go to
 * meta; returns the trial's final status (interrupted when verify was cut short).
 */
async function verifyTrial(
  ctx: RunContext,
  cell: TrialCell,
  collected: Collected,
  opts: { meta: TrialMeta; writer: TrialWriter; env: Record<string, string>; scope: string },
): Promise<TrialMeta["status"]> {
  const { task } = cell;
  const { meta } = opts;
  if (!(collected.status === "ok" || collected.status === "timeout") || !task.verify) return collected.status;
  const verify = await runVerify(task.verify, {
    cwd: opts.writer.workspace,
    env: opts.env,
    timeoutS: task.verify_timeout_s,
    repeats: task.verify_repeats,
    signal: ctx.signal,
    scope: opts.scope,
    prefix: sandboxPrefix(ctx.sandbox, { workspace: opts.writer.workspace }),
  });
  opts.writer.writeVerify(verify);
  if (ctx.signal.aborted) {
    meta.error = "interrupted during verify";
    return "interrupted";
  }
  meta.success = verify.success;
  meta.flaky_verify = verify.flaky;
  if (!verify.success && collected.status === "ok") meta.error_artifact = ARTIFACTS.verify;
  return collected.status;
}
