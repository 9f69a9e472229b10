import { homedir } from "node:os";
import { join } from "node:path";
import { classifyCopilotExit } from "../../copilot/exit-status.ts";
import type { GroupResult } from "../../process/run-group.ts";
import { analyzeSession } from "../../session/analysis.ts";
import { toTrialMetrics } from "../../session/metrics.ts";
import { buildTrajectory } from "../../session/trajectory.ts";
import { artifactPath, artifactSize, hasArtifact, readText } from "../../store/artifacts.ts";
import { ARTIFACTS } from "../../store/layout.ts";
import type { TrialStatus } from "../../store/schema.ts";
import type { TrialMetrics } from "../../store/session-schema.ts";
import type { TrialWriter } from "../../store/writer.ts";
import { diffSince, GitError } from "../../workspace/git.ts";
import { defuseWorkspaceRepo, resetHarnessIndex } from "../../workspace/harness-repo.ts";
import type { Workspace } from "../../workspace/provision.ts";
import { firstLine, HarnessError } from "../context.ts";
import type { InvocationPlan } from "./invoke.ts";

/**
 * After Copilot: its staged output, share file, OTel file and session log copied into the
 * trial folder through the writer (redacted); how it ended as a status; the session analysis,
 * the workspace diff, the flat metrics and the session as an ATIF trajectory.
 */

export interface Collected {
  status: TrialStatus;
  error: string | null;
  errorArtifact: string | null;
  /** metrics.json as written; null when Copilot left no session log. */
  metrics: TrialMetrics | null;
}

/**
 * The diff since the baseline, taken in the harness's own repository (never the agent's `.git`,
 * ADR 0013); a damaged index is rebuilt once.
 */
async function workspaceDiff(ws: Workspace) {
  try {
    return await diffSince(ws.repo, ws.baseline);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    await resetHarnessIndex(ws.repo, ws.baseline);
    return diffSince(ws.repo, ws.baseline);
  }
}

export async function collectArtifacts(
  result: GroupResult,
  opts: {
    plan: InvocationPlan;
    writer: TrialWriter;
    staging: string;
    workspace: Workspace;
    timeoutS: number;
  },
): Promise<Collected> {
  const { plan, writer, staging } = opts;
  // The diff's git processes run while the artifacts are copied in and the session analysed.
  const diffing = workspaceDiff(opts.workspace).then(
    (diff) => ({ diff }),
    (err: Error) => ({ err }),
  );
  let outcome: ReturnType<typeof classifyCopilotExit>;
  let analysis: Awaited<ReturnType<typeof analyzeSession>> | null;
  try {
    const env = plan.invocation.env;
    await writer.copyIn(plan.rawStdout, "stdout");
    await writer.copyIn(join(staging, ARTIFACTS.session), "session");
    await writer.copyIn(env.COPILOT_OTEL_FILE_EXPORTER_PATH ?? "", "otel");
    const stateHome = plan.home ?? env.COPILOT_HOME ?? join(homedir(), ".copilot");
    await writer.copyIn(join(stateHome, "session-state", plan.sessionId, ARTIFACTS.events), "events");

    const hasSession = artifactSize(writer.dir, ARTIFACTS.events) > 0;
    outcome = classifyCopilotExit(result, {
      hasSession,
      output: readText(writer.dir, ARTIFACTS.stdout) ?? "",
      timeoutS: opts.timeoutS,
    });
    analysis = hasSession
      ? await analyzeSession({
          eventsPath: artifactPath(writer.dir, ARTIFACTS.events),
          otelPath: hasArtifact(writer.dir, ARTIFACTS.otel)
            ? artifactPath(writer.dir, ARTIFACTS.otel)
            : undefined,
        })
      : null;
  } catch (err) {
    // Never leave with git still running in the harness's repository (the trial removes it).
    await diffing;
    throw err;
  }
  const diffed = await diffing;
  if ("err" in diffed) throw new HarnessError(`workspace diff: ${firstLine(diffed.err.message)}`);
  writer.writeDiff(diffed.diff.patch);
  const diffStat = diffed.diff.stat;
  // Whoever runs git in the stored workspace later must not run what the agent configured.
  defuseWorkspaceRepo(opts.workspace.path, opts.workspace.baselineRepo);
  let metrics: TrialMetrics | null = null;
  if (analysis) {
    metrics = toTrialMetrics(analysis, diffStat);
    writer.writeAnalysis(analysis);
    writer.writeMetrics(metrics);
    // From the stored (redacted) log, with the analysis's figures: docs/adr/0015.
    writer.writeTrajectory(await buildTrajectory(artifactPath(writer.dir, ARTIFACTS.events), analysis));
  }
  return { status: outcome.status, error: outcome.error, errorArtifact: outcome.errorArtifact, metrics };
}
