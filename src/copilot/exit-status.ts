import type { GroupResult } from "../process/run-group.ts";
import { ARTIFACTS } from "../store/layout.ts";
import type { TrialStatus } from "../store/schema.ts";

/** The last meaningful line of a log: usually the error Copilot printed before exiting. */
function lastLine(text: string, max = 300): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("{"));
  const line = lines.at(-1) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * How Copilot's run ended, as a trial status (README, `run`): interrupted, timeout, copilot_failed
 * (non-zero exit, or no session log: an infrastructure failure, not a verdict on the agent),
 * or ok. Verify may still turn an ok or timeout into a failed attempt later.
 */
export function classifyCopilotExit(
  result: GroupResult,
  opts: { hasSession: boolean; output: string; timeoutS: number },
): { status: TrialStatus; error: string | null; errorArtifact: string | null } {
  const tail = lastLine(opts.output);
  if (result.aborted)
    return { status: "interrupted", error: "interrupted while Copilot was running", errorArtifact: null };
  if (result.timedOut) {
    return {
      status: "timeout",
      error: `Copilot killed after the ${opts.timeoutS}s timeout`,
      errorArtifact: ARTIFACTS.stdout,
    };
  }
  if (result.exitCode !== 0) {
    const why = result.signal ? `killed by ${result.signal}` : `exit ${result.exitCode}`;
    return {
      status: "copilot_failed",
      error: `Copilot failed (${why})${tail ? `: ${tail}` : ""}`,
      errorArtifact: ARTIFACTS.stdout,
    };
  }
  if (!opts.hasSession) {
    return {
      status: "copilot_failed",
      error: `Copilot exited 0 but wrote no session log${tail ? `: ${tail}` : ""}`,
      errorArtifact: ARTIFACTS.stdout,
    };
  }
  return { status: "ok", error: null, errorArtifact: null };
}
