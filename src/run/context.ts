import type { GithubToken } from "../copilot/auth.ts";
import type { CopilotInvoker } from "../copilot/invoker.ts";
import type { Experiment, ResolvedTask, ResolvedVariant } from "../experiment/load.ts";
import type { KeepWorkspaces } from "../experiment/schema.ts";
import type { RunWriter } from "../store/writer.ts";
import type { Snapshot } from "../workspace/snapshot.ts";
import type { SandboxPlan } from "./sandbox-plan.ts";

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
  /** The run's writer: every file of the run goes through it (and its redactor). */
  writer: RunWriter;
  copilotBinary: string;
  invoker: CopilotInvoker;
  token?: GithubToken;
  isolateHome: boolean;
  /** Which trials keep their workspace once verified (ADR 0017). */
  keepWorkspaces: KeepWorkspaces;
  /** The run slice's snapshot of a task's sources (ADR 0017); without it, each trial copies or clones them. */
  snapshotOf?: (task: ResolvedTask) => Promise<Snapshot>;
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
  /** How the run's trials are sandboxed (absent: not at all). */
  sandbox?: SandboxPlan;
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

/** The first non-empty line of a message, cut to `max` characters. */
export function firstLine(text: string, max = 300): string {
  const line =
    text
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
