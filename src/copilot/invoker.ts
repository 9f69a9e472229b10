import type { FileSink } from "bun";
import { type GroupResult, runGroup } from "../process/run-group.ts";

/** One Copilot invocation, as the trial pipeline asks for it. */
export interface InvokeRequest {
  binary: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  sessionId: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Combined stdout + stderr. */
  output: FileSink;
  onOutput?: (chunk: Uint8Array) => void;
  onSpawn?: (pgid: number) => void;
  /** The process has exited; its leftovers are still being killed (process/run-group.ts). */
  onExit?: () => void;
  /** The trial's process scope (process/scope.ts). */
  scope?: string;
  /** Written to Copilot's stdin (a prompt too large for an argument). */
  stdin?: string;
  /** Runs Copilot inside this command (the sandbox, sandbox/bwrap.ts, with a PID namespace of its own). */
  prefix?: string[];
}

/** Runs Copilot (or a stand-in for dry runs) and reports how it ended. */
export type CopilotInvoker = (req: InvokeRequest) => Promise<GroupResult>;

/** The real CLI, in its own process group, killed as a group on timeout or interruption. */
export const realInvoker: CopilotInvoker = (req) =>
  runGroup([...(req.prefix ?? []), req.binary, ...req.args], {
    cwd: req.cwd,
    env: req.env,
    timeoutMs: req.timeoutMs,
    graceMs: 5000,
    signal: req.signal,
    output: req.output,
    onOutput: req.onOutput,
    onSpawn: req.onSpawn,
    onExit: req.onExit,
    scope: req.scope,
    pidNamespace: req.prefix !== undefined,
    stdin: req.stdin === undefined ? "ignore" : new Blob([req.stdin]),
  });
