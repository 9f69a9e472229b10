import { type GroupResult, runGroup, shellCommand } from "../../process/run-group.ts";
import { FORMAT_VERSION, type VerifyResult } from "../../store/schema.ts";

const OUTPUT_TAIL_BYTES = 64 * 1024;

/** Keeps the last `limit` bytes of a stream of chunks. */
export class TailBuffer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit = OUTPUT_TAIL_BYTES) {}

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.truncated = true;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const tail = all.length > this.limit ? all.subarray(all.length - this.limit) : all;
    if (all.length > this.limit) this.truncated = true;
    const text = new TextDecoder().decode(tail);
    return this.truncated ? `[… earlier output truncated …]\n${text}` : text;
  }
}

/** Run one shell command in the workspace, bounded by a timeout that kills its whole group. */
export async function runShell(
  command: string,
  opts: {
    cwd: string;
    env: Record<string, string>;
    timeoutS: number;
    signal?: AbortSignal;
    scope?: string;
    /** Runs the command inside this one (the sandbox, with a PID namespace of its own). */
    prefix?: string[];
  },
): Promise<{ result: GroupResult; output: string }> {
  const tail = new TailBuffer();
  const result = await runGroup([...(opts.prefix ?? []), ...shellCommand(command)], {
    cwd: opts.cwd,
    env: opts.env,
    timeoutMs: opts.timeoutS * 1000,
    graceMs: 2000,
    signal: opts.signal,
    scope: opts.scope,
    pidNamespace: opts.prefix !== undefined,
    onOutput: (chunk) => tail.push(chunk),
  });
  return { result, output: tail.text() };
}

/**
 * Run `verify` `repeats` times on the same workspace. The trial succeeds only if every run
 * passes; runs that disagree mark it flaky (so a flaky pass is never counted as a solve). The
 * output is as printed: the trial's writer redacts it on its way to verify.json.
 */
export async function runVerify(
  command: string,
  opts: {
    cwd: string;
    env: Record<string, string>;
    timeoutS: number;
    repeats: number;
    signal?: AbortSignal;
    scope?: string;
    prefix?: string[];
  },
): Promise<VerifyResult> {
  const runs: VerifyResult["runs"] = [];
  let output = "";
  for (let i = 0; i < opts.repeats; i++) {
    const { result, output: out } = await runShell(command, opts);
    output = out;
    runs.push({
      exit_code: result.exitCode,
      success: result.exitCode === 0 && !result.timedOut,
      duration_s: result.durationMs / 1000,
      timed_out: result.timedOut,
    });
    if (result.aborted) break;
  }
  const last = runs.at(-1)!;
  const outcomes = new Set(runs.map((r) => r.success));
  return {
    format_version: FORMAT_VERSION,
    command,
    exit_code: last.exit_code,
    success: runs.every((r) => r.success),
    output,
    duration_s: runs.reduce((s, r) => s + r.duration_s, 0),
    timed_out: runs.some((r) => r.timed_out),
    runs,
    flaky: outcomes.size > 1,
  };
}
