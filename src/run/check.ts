import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findAgent } from "../copilot/agents.ts";
import type { Experiment, ResolvedTask } from "../experiment/load.ts";
import type { SandboxMode } from "../experiment/schema.ts";
import { childScope, runScope } from "../process/scope.ts";
import { commandEnv } from "../secrets/command-env.ts";
import { firstLine } from "./context.ts";
import { planSandbox, type SandboxPlan, sandboxPrefix } from "./sandbox-plan.ts";
import { Slots } from "./slots.ts";
import { prepareWorkspace, SetupFailed, WorkspaceFailed } from "./trial/prepare.ts";
import { runShell } from "./trial/verify.ts";

/**
 * `check`: are the tasks sound, without Copilot? The baseline must fail `verify` (otherwise
 * there is nothing to fix) and the baseline + `solution` must pass it (otherwise the task is
 * unsolvable or verify is broken). Also checks that each variant's `agent` exists. Tasks are
 * checked `concurrency` at a time, as the experiment runs its trials.
 */

export type CheckVerdict = "ok" | "broken" | "ungraded" | "unchecked";

export interface TaskCheck {
  experiment: string;
  task: string;
  /** Did verify fail on the untouched baseline? null when not run. */
  baseline_fails: boolean | null;
  /** Did verify pass after the solution? null when not run (no solution / no verify). */
  solution_passes: boolean | null;
  verdict: CheckVerdict;
  reason: string;
}

export interface AgentCheck {
  experiment: string;
  variant: string;
  agent: string;
  found: string | null;
  ok: boolean;
  reason: string;
}

function tail(text: string, lines = 3): string {
  return text.trim().split("\n").slice(-lines).join(" ⏎ ").slice(0, 240);
}

/** Why preparing the workspace failed, in `check`'s words. */
function prepareFailure(err: unknown): string {
  if (err instanceof SetupFailed) {
    return `setup command ${err.index + 1} failed (exit ${err.result.exitCode}): ${tail(err.output)}`;
  }
  if (err instanceof WorkspaceFailed) return `could not prepare the workspace: ${err.reason}`;
  return `could not prepare the workspace: ${firstLine(err instanceof Error ? err.message : String(err))}`;
}

async function checkTask(
  experiment: Experiment,
  task: ResolvedTask,
  signal?: AbortSignal,
  sandbox?: SandboxPlan,
): Promise<TaskCheck> {
  const base = { experiment: experiment.slug, task: task.slug, baseline_fails: null, solution_passes: null };
  const dir = mkdtempSync(join(tmpdir(), "cx-check-"));
  const workspace = join(dir, "workspace");
  // Setup, verify and the solution run what a trial's would: the agent's scrubbed environment,
  // and a scope of their own, so nothing they start outlives the check (ADR 0013).
  const env = commandEnv(process.env, { interpolated: experiment.variables_read, allow: task.verify_env });
  const scope = childScope(runScope(dir), "check", task.slug);
  // In the sandbox a trial would get (README, Sandbox): setup, verify and the solution too.
  const prefix = sandboxPrefix(sandbox, { workspace });
  const shell = (command: string) =>
    runShell(command, { cwd: workspace, env, timeoutS: task.verify_timeout_s, signal, scope, prefix });
  try {
    try {
      // The trial's own first stage: the same workspace and setup a trial would get.
      await prepareWorkspace({
        workspace,
        harnessGitDir: join(dir, "harness.git"),
        task,
        root: experiment.root,
        env,
        signal,
        scope,
        prefix,
      });
    } catch (err) {
      return { ...base, verdict: "broken", reason: prepareFailure(err) };
    }
    if (!task.verify)
      return { ...base, verdict: "ungraded", reason: "no verify command: trials are not graded" };

    const before = await shell(task.verify);
    const baseline_fails = before.result.exitCode !== 0 || before.result.timedOut;
    if (!baseline_fails) {
      return {
        ...base,
        baseline_fails,
        verdict: "broken",
        reason: "verify already passes on the unchanged workspace: there is nothing to fix",
      };
    }
    if (task.solution.length === 0) {
      return {
        ...base,
        baseline_fails,
        verdict: "unchecked",
        reason: "no solution given: cannot show the task is solvable",
      };
    }
    for (const [i, command] of task.solution.entries()) {
      const { result, output } = await shell(command);
      if (result.exitCode !== 0 || result.timedOut) {
        return {
          ...base,
          baseline_fails,
          verdict: "broken",
          reason: `solution command ${i + 1} failed (exit ${result.exitCode}): ${tail(output)}`,
        };
      }
    }
    const after = await shell(task.verify);
    const solution_passes = after.result.exitCode === 0 && !after.result.timedOut;
    return solution_passes
      ? {
          ...base,
          baseline_fails,
          solution_passes,
          verdict: "ok",
          reason: "baseline fails verify; baseline + solution passes",
        }
      : {
          ...base,
          baseline_fails,
          solution_passes,
          verdict: "broken",
          reason: `verify still fails after the solution${after.result.timedOut ? " (timed out)" : ` (exit ${after.result.exitCode})`}: ${tail(after.output)}`,
        };
  } catch (err) {
    return {
      ...base,
      verdict: "broken",
      reason: `could not prepare the workspace: ${firstLine(err instanceof Error ? err.message : String(err))}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function checkExperiments(
  experiments: readonly Experiment[],
  opts: { signal?: AbortSignal; onTask?: (check: TaskCheck) => void; sandbox?: SandboxMode } = {},
): Promise<{ tasks: TaskCheck[]; agents: AgentCheck[]; ok: boolean }> {
  const tasks: TaskCheck[] = [];
  const agents: AgentCheck[] = [];
  for (const experiment of experiments) {
    const sandbox = await planSandbox(experiment, opts.sandbox);
    // As many tasks at once as the experiment runs trials (each has its own workspace and
    // scope); reported in the experiment's order.
    const slots = new Slots(experiment.concurrency ?? 1);
    const checks = experiment.tasks.map(async (task) => {
      const release = await slots.acquire();
      try {
        return await checkTask(experiment, task, opts.signal, sandbox);
      } finally {
        release();
      }
    });
    for (const pending of checks) {
      const check = await pending;
      tasks.push(check);
      opts.onTask?.(check);
    }
    for (const variant of experiment.variants) {
      if (!variant.agent) continue;
      const found = findAgent(variant.agent, {
        overlay: variant.overlay_path,
        home: variant.copilot_home_path,
        fixtures: experiment.tasks.map((t) => t.fixture_path).filter((p): p is string => !!p),
      });
      agents.push({
        experiment: experiment.slug,
        variant: variant.slug,
        agent: variant.agent,
        found: found?.where ?? null,
        ok: found !== undefined || experiment.tasks.some((t) => t.repo !== undefined),
        reason: found
          ? `defined in ${found.where}`
          : experiment.tasks.some((t) => t.repo !== undefined)
            ? "not in the overlay or copilot_home; may come from the cloned repository"
            : "no such agent in the variant's overlay, copilot_home or the task fixtures (.github/agents/<name>.agent.md)",
      });
    }
  }
  const ok = tasks.every((t) => t.verdict !== "broken") && agents.every((a) => a.ok);
  return { tasks, agents, ok };
}
