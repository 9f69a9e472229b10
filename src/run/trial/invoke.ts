import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { buildInvocation, type Invocation, secretValues } from "../../copilot/invocation.ts";
import { prepareCacheDir } from "../../copilot/state-env.ts";
import type { Variant } from "../../experiment/schema.ts";
import type { GroupResult } from "../../process/run-group.ts";
import { ARTIFACTS } from "../../store/layout.ts";
import type { TrialWriter } from "../../store/writer.ts";
import { copyTree } from "../../workspace/provision.ts";
import type { RunContext, TrialCell } from "../context.ts";
import { sandboxPrefix } from "../sandbox-plan.ts";

/**
 * Invoking Copilot for a trial: the argument vector and environment (planned before anything
 * is written, so the trial's writer knows every secret of the invocation), then the process
 * itself, in its own group, with its output and logs staged outside results/.
 */

export interface InvocationPlan {
  sessionId: string;
  invocation: Invocation;
  /** The trial's own COPILOT_HOME (`--isolate-home`), inside the staging folder. */
  home?: string;
  /** The trial's own COPILOT_CACHE_HOME beside it (docs/hermetic-trials.md). */
  cacheHome?: string;
  /** Copilot's combined stdout and stderr, as written (unredacted) in the staging folder. */
  rawStdout: string;
  /** The secret values of the invocation: the trial's writer redacts them everywhere. */
  secrets: string[];
  /** Every process of the trial carries this scope (process/scope.ts). */
  scope: string;
  /** The trial's staging folder (outside results/): writable in the sandbox. */
  staging: string;
}

export function planInvocation(
  ctx: RunContext,
  cell: TrialCell,
  paths: { workspace: string; staging: string; sessionId: string; scope: string },
): InvocationPlan {
  const { variant, task, trial } = cell;
  const { staging } = paths;
  const home = ctx.isolateHome ? join(staging, "copilot-home") : undefined;
  const cacheHome = home ? join(staging, "copilot-cache") : undefined;
  const mcp = ctx.mcpFor?.(variant);
  const invocation = buildInvocation(variant, {
    prompt: task.prompt,
    sessionId: paths.sessionId,
    workspace: paths.workspace,
    logDir: join(staging, "logs"),
    shareFile: join(staging, ARTIFACTS.session),
    otelFile: join(staging, ARTIFACTS.otel),
    copilotHome: home,
    copilotCacheHome: cacheHome,
    token: ctx.token,
    baseEnv: ctx.baseEnv,
    scripted: ctx.scriptedFor?.(variant, task),
    mcpConfig: mcp?.config,
    extraSecretNames: ctx.experiment.variables_read,
    mcpSecretNames: mcp?.secretNames,
    labels: { experiment: ctx.experiment.slug, variant: variant.slug, task: task.slug, trial },
  });
  const secrets = [ctx.token?.token, ...secretValues(invocation), ...(mcp?.secretValues ?? [])].filter(
    (v): v is string => !!v,
  );
  return {
    sessionId: paths.sessionId,
    invocation,
    home,
    cacheHome,
    scope: paths.scope,
    staging,
    rawStdout: join(staging, ARTIFACTS.stdout),
    secrets,
  };
}

/** The argument vector as meta.json records it: the prompt elided (it is in prompt.md). */
export function recordedCommand(invocation: Invocation): string[] {
  return invocation.args.map((a, i) => (invocation.args[i - 1] === "-p" ? "<prompt.md>" : a));
}

/**
 * Run Copilot in the workspace; the process group is noted in the trial folder while it runs.
 * `onStarted` is told once the process exists, `onExited` once it has exited (its leftovers are
 * killed and collected before this returns).
 */
export async function invokeCopilot(
  ctx: RunContext,
  cell: TrialCell,
  plan: InvocationPlan,
  writer: TrialWriter,
  hooks: { onStarted?: () => void; onExited?: () => void } = {},
): Promise<GroupResult> {
  const { variant, task } = cell;
  if (plan.home) {
    mkdirSync(plan.home, { recursive: true });
    if (variant.copilot_home_path) copyTree(variant.copilot_home_path, plan.home);
  }
  if (plan.cacheHome) prepareCacheDir(plan.cacheHome, { ...ctx.baseEnv, ...variant.env });
  const output = Bun.file(plan.rawStdout).writer();
  try {
    return await ctx.invoker({
      binary: ctx.copilotBinary,
      args: plan.invocation.args,
      env: plan.invocation.env,
      cwd: writer.workspace,
      sessionId: plan.sessionId,
      timeoutMs: task.timeout_s * 1000,
      signal: ctx.signal,
      scope: plan.scope,
      stdin: plan.invocation.stdin,
      prefix: sandboxPrefix(ctx.sandbox, {
        workspace: writer.workspace,
        staging: plan.staging,
        isolateHome: ctx.isolateHome,
        env: plan.invocation.env,
        executable: ctx.copilotBinary,
        readable: mcpServerPaths(variant.mcp_servers),
      }),
      output,
      onOutput: ctx.onOutput ? (chunk) => ctx.onOutput!(cell, chunk) : undefined,
      // If the harness is killed, resume finds this and takes the orphaned group down.
      onSpawn: (pgid) => {
        writer.writePgid(pgid);
        hooks.onStarted?.();
      },
      onExit: hooks.onExited,
    });
  } finally {
    writer.clearPgid();
    await output.end();
  }
}

/**
 * Absolute paths an MCP server is started with (its command, script arguments, cwd): the folders
 * holding them stay readable in the sandbox even under its private /tmp.
 */
function mcpServerPaths(servers: Variant["mcp_servers"]): string[] {
  const paths = Object.values(servers ?? {}).flatMap((s) => [s.command, ...(s.args ?? []), s.cwd]);
  return paths.filter((p): p is string => !!p && isAbsolute(p)).map((p) => dirname(p));
}
