import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { GithubToken } from "../copilot/auth.ts";
import { buildInvocation, secretValues } from "../copilot/invocation.ts";
import type { Experiment, ResolvedTask, ResolvedVariant } from "../experiment/load.ts";
import { childScope, runScope, scopeTag } from "../process/scope.ts";
import { ARTIFACTS, trialDir, trialName } from "../results/layout.ts";
import type { TrialMeta, TrialStatus, VerifyResult } from "../results/schema.ts";
import { commandEnv } from "../secrets/command-env.ts";
import { copyRedacted } from "../secrets/copy-redacted.ts";
import { Redactor } from "../secrets/redact.ts";
import { analyzeSession } from "../session/analysis.ts";
import { toTrialMetrics } from "../session/metrics.ts";
import { writeFileAtomic, writeJsonAtomic } from "../util/fs-atomic.ts";
import { diffSince, GitError } from "../workspace/git.ts";
import { defuseWorkspaceRepo, resetHarnessIndex } from "../workspace/harness-repo.ts";
import { commitWorkspace, copyTree, provisionWorkspace, type Workspace } from "../workspace/provision.ts";
import { classifyCopilotExit } from "./_status.ts";
import type { CopilotInvoker } from "./invoker.ts";
import { blankMeta } from "./trial-meta.ts";
import { runShell, runVerify } from "./verify.ts";

/** The process group of a running Copilot, kept in the trial folder while it runs. */
export const PGID_FILE = ".copilot.pgid";

/** One cell of the plan: a variant, a task and a 1-based trial number. */
export interface TrialCell {
  variant: ResolvedVariant;
  task: ResolvedTask;
  trial: number;
}

/** What every trial of a run shares. Nothing here is mutated by a trial. */
export interface RunContext {
  experiment: Experiment;
  runId: string;
  runDir: string;
  copilotBinary: string;
  invoker: CopilotInvoker;
  token?: GithubToken;
  isolateHome: boolean;
  /** Base URL and model of the scripted provider for a variant's script, per task. */
  scriptedFor?: (
    variant: ResolvedVariant,
    task: ResolvedTask,
  ) => { baseUrl: string; model: string } | undefined;
  /** `--additional-mcp-config` JSON and extra secret names for a variant (context variants). */
  mcpFor?: (
    variant: ResolvedVariant,
  ) => { config: string; secretNames: string[]; secretValues: string[] } | undefined;
  baseEnv: Record<string, string | undefined>;
  signal: AbortSignal;
  onOutput?: (cell: TrialCell, chunk: Uint8Array) => void;
}

/** A trial step failed for a reason that is the harness's, not the agent's. */
export class HarnessError extends Error {
  constructor(
    message: string,
    readonly artifact: string | null = null,
  ) {
    super(message);
  }
}

function firstLine(text: string, max = 300): string {
  const line =
    text
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Every process of a trial carries this scope (process/scope.ts). */
export function trialScope(runDir: string, cell: TrialCell): string {
  return childScope(runScope(runDir), cell.variant.slug, cell.task.slug, trialName(cell.trial));
}

/** Prefix of a trial's staging folder in the temp folder: raw, unredacted output lives there. */
export function stagingPrefix(runDir: string, cell: TrialCell): string {
  return `cx-trial-${scopeTag(trialScope(runDir, cell))}-`;
}

/** The harness's own repository over a trial's workspace (removed when the trial ends). */
export const HARNESS_GIT_DIR = ".harness.git";

/** The diff since the baseline, in the harness's repository; a damaged index is rebuilt once. */
async function workspaceDiff(ws: Workspace) {
  try {
    return await diffSince(ws.repo, ws.baseline);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    await resetHarnessIndex(ws.repo, ws.baseline);
    return diffSince(ws.repo, ws.baseline);
  }
}

function hasEvents(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}

/**
 * Run one trial through the pipeline of SPEC 4.2 and write its artifacts. Never throws for a
 * trial's own failure: that becomes the status in meta.json, which is written last, atomically.
 */
export async function runTrial(ctx: RunContext, cell: TrialCell): Promise<TrialMeta> {
  const { variant, task, trial } = cell;
  const dir = trialDir(ctx.runDir, variant.slug, task.slug, trial);
  mkdirSync(dir, { recursive: true });
  const started = new Date();
  const staging = mkdtempSync(join(tmpdir(), stagingPrefix(ctx.runDir, cell)));
  const sessionId = randomUUID();
  const meta = blankMeta(ctx, cell, "harness_error", started.toISOString());
  let redactor = new Redactor([ctx.token?.token]);
  // Every process of this trial carries its scope: what outlives the trial is found and killed.
  const scope = trialScope(ctx.runDir, cell);
  const harnessGitDir = join(dir, HARNESS_GIT_DIR);
  try {
    writeFileAtomic(
      join(dir, ARTIFACTS.prompt),
      task.prompt.endsWith("\n") ? task.prompt : `${task.prompt}\n`,
    );
    const workspace = join(dir, ARTIFACTS.workspace);
    const env = commandEnv(ctx.baseEnv, {
      interpolated: ctx.experiment.variables_read,
      allow: task.verify_env,
    });
    let ws: Workspace;
    try {
      ws = await provisionWorkspace({ workspace, task, variant, root: ctx.experiment.root, harnessGitDir });
      meta.baseline_commit = ws.baseline;
    } catch (err) {
      throw new HarnessError(`workspace: ${firstLine((err as Error).message)}`);
    }
    if (task.setup.length > 0) {
      const log: string[] = [];
      for (const [i, command] of task.setup.entries()) {
        const { result, output } = await runShell(command, {
          cwd: workspace,
          env,
          timeoutS: task.verify_timeout_s,
          signal: ctx.signal,
          scope,
        });
        log.push(`$ ${command}\n${output}`);
        if (result.aborted) throw new HarnessError("interrupted during setup");
        if (result.exitCode !== 0 || result.timedOut) {
          writeFileAtomic(join(dir, ARTIFACTS.setup), redactor.redact(log.join("\n")));
          const why = result.timedOut
            ? `timed out after ${task.verify_timeout_s}s`
            : `exit ${result.exitCode}`;
          throw new HarnessError(`setup command ${i + 1} failed (${why}): ${command}`, ARTIFACTS.setup);
        }
      }
      writeFileAtomic(join(dir, ARTIFACTS.setup), redactor.redact(log.join("\n")));
      // Measure the agent's changes from after setup, so setup's own files stay out of the diff.
      ws = await commitWorkspace(workspace, harnessGitDir, "copilot-experiments setup");
      meta.baseline_commit = ws.baseline;
    }

    const home = ctx.isolateHome ? join(staging, "copilot-home") : undefined;
    if (home) {
      mkdirSync(home, { recursive: true });
      if (variant.copilot_home_path) copyTree(variant.copilot_home_path, home);
    }
    const mcp = ctx.mcpFor?.(variant);
    const invocation = buildInvocation(variant, {
      prompt: task.prompt,
      sessionId,
      workspace,
      logDir: join(staging, "logs"),
      shareFile: join(staging, ARTIFACTS.session),
      otelFile: join(staging, ARTIFACTS.otel),
      copilotHome: home,
      token: ctx.token,
      baseEnv: ctx.baseEnv,
      scripted: ctx.scriptedFor?.(variant, task),
      mcpConfig: mcp?.config,
      extraSecretNames: ctx.experiment.variables_read,
      mcpSecretNames: mcp?.secretNames,
      labels: { experiment: ctx.experiment.slug, variant: variant.slug, task: task.slug, trial },
    });
    redactor = new Redactor([ctx.token?.token, ...secretValues(invocation), ...(mcp?.secretValues ?? [])]);
    meta.session_id = sessionId;
    meta.secret_env_vars = invocation.secretEnvVars;
    meta.command = invocation.args.map((a, i) =>
      invocation.args[i - 1] === "-p" ? "<prompt.md>" : redactor.redact(a),
    );

    const rawStdout = join(staging, ARTIFACTS.stdout);
    const output = Bun.file(rawStdout).writer();
    const result = await ctx.invoker({
      binary: ctx.copilotBinary,
      args: invocation.args,
      env: invocation.env,
      cwd: workspace,
      sessionId,
      timeoutMs: task.timeout_s * 1000,
      signal: ctx.signal,
      scope,
      stdin: invocation.stdin,
      output,
      onOutput: ctx.onOutput ? (chunk) => ctx.onOutput!(cell, chunk) : undefined,
      // If the harness is killed, resume finds this and takes the orphaned group down.
      onSpawn: (pgid) => writeFileAtomic(join(dir, PGID_FILE), `${pgid}\n`),
    });
    rmSync(join(dir, PGID_FILE), { force: true });
    await output.end();
    meta.copilot_exit_code = result.exitCode;
    meta.copilot_signal = result.signal;
    meta.timed_out = result.timedOut;
    meta.copilot_duration_s = result.durationMs / 1000;

    // Artifacts are staged outside results/ and copied in through the redactor.
    await copyRedacted(rawStdout, join(dir, ARTIFACTS.stdout), redactor);
    await copyRedacted(join(staging, ARTIFACTS.session), join(dir, ARTIFACTS.session), redactor);
    await copyRedacted(
      invocation.env.COPILOT_OTEL_FILE_EXPORTER_PATH ?? "",
      join(dir, ARTIFACTS.otel),
      redactor,
    );
    const stateHome = home ?? invocation.env.COPILOT_HOME ?? join(homedir(), ".copilot");
    const events = join(dir, ARTIFACTS.events);
    await copyRedacted(join(stateHome, "session-state", sessionId, ARTIFACTS.events), events, redactor);

    const stdoutText = existsSync(join(dir, ARTIFACTS.stdout))
      ? await Bun.file(join(dir, ARTIFACTS.stdout)).text()
      : "";
    const outcome = classifyCopilotExit(result, {
      hasSession: hasEvents(events),
      output: stdoutText,
      timeoutS: task.timeout_s,
    });
    let status: TrialStatus = outcome.status;
    meta.error = outcome.error;
    meta.error_artifact = outcome.errorArtifact;

    const analysis = hasEvents(events)
      ? await analyzeSession({
          eventsPath: events,
          otelPath: existsSync(join(dir, ARTIFACTS.otel)) ? join(dir, ARTIFACTS.otel) : undefined,
        })
      : null;
    let diffStat = null;
    try {
      const diff = await workspaceDiff(ws);
      writeFileAtomic(join(dir, ARTIFACTS.diff), redactor.redact(diff.patch));
      diffStat = diff.stat;
    } catch (err) {
      throw new HarnessError(`workspace diff: ${firstLine((err as Error).message)}`);
    }
    // Whoever runs git in the stored workspace later must not run what the agent configured.
    defuseWorkspaceRepo(workspace, ws.baselineConfig);
    if (analysis) {
      writeJsonAtomic(join(dir, ARTIFACTS.analysis), analysis);
      writeJsonAtomic(join(dir, ARTIFACTS.metrics), toTrialMetrics(analysis, diffStat));
    }

    if ((status === "ok" || status === "timeout") && task.verify) {
      const verify: VerifyResult = await runVerify(task.verify, {
        cwd: workspace,
        env,
        timeoutS: task.verify_timeout_s,
        repeats: task.verify_repeats,
        redactor,
        signal: ctx.signal,
        scope,
      });
      writeJsonAtomic(join(dir, ARTIFACTS.verify), verify);
      if (ctx.signal.aborted) {
        status = "interrupted";
        meta.error = "interrupted during verify";
      } else {
        meta.success = verify.success;
        meta.flaky_verify = verify.flaky;
        if (!verify.success && status === "ok") meta.error_artifact = ARTIFACTS.verify;
      }
    }
    meta.status = status;
  } catch (err) {
    meta.status = ctx.signal.aborted ? "interrupted" : "harness_error";
    meta.error = redactor.redact(
      err instanceof HarnessError
        ? err.message
        : `harness: ${firstLine(String((err as Error)?.message ?? err))}`,
    );
    meta.error_artifact = err instanceof HarnessError ? err.artifact : null;
    meta.success = null;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(harnessGitDir, { recursive: true, force: true });
  }
  const finished = new Date();
  meta.finished_at = finished.toISOString();
  meta.duration_s = (finished.getTime() - started.getTime()) / 1000;
  writeJsonAtomic(join(dir, ARTIFACTS.meta), meta);
  return meta;
}
