import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CopilotInvoker } from "../invoker.ts";
import { writeSyntheticSession } from "./synthetic-session.ts";

export const DRY_RUN_FILE = "COPILOT_EXPERIMENTS_DRY_RUN.md";

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const prefixed = args.find((a) => a.startsWith(`${name}=`));
  return prefixed?.slice(name.length + 1);
}

/**
 * Stands in for Copilot in `run --dry-run`: it receives the exact argument vector and
 * environment the real CLI would, and leaves what the real CLI leaves — a current-schema session
 * log where the CLI keeps it, an OTel file where OTel points, the share file, and a workspace
 * change — so every later stage of the pipeline runs for real.
 */
export const mockInvoker: CopilotInvoker = async (req) => {
  const started = performance.now();
  const sessionId = argValue(req.args, "--session-id") ?? req.sessionId;
  const workspace = argValue(req.args, "-C") ?? req.cwd;
  const model = argValue(req.args, "--model") ?? req.env.COPILOT_PROVIDER_MODEL_ID ?? "mock-model";
  const home = req.env.COPILOT_HOME ?? join(homedir(), ".copilot");
  const sessionDir = join(home, "session-state", sessionId);
  mkdirSync(sessionDir, { recursive: true });

  const { eventsPath, otelPath } = writeSyntheticSession({
    dir: sessionDir,
    sessionId,
    model,
    cwd: workspace,
    startTime: new Date(),
    // A BYOK variant's session reports no cost, as the real CLI's does.
    byok: req.env.COPILOT_PROVIDER_BASE_URL !== undefined,
    turns: 3,
    toolCalls: [
      { name: "view", args: { path: join(workspace, DRY_RUN_FILE) }, success: false },
      { name: "create", args: { path: join(workspace, DRY_RUN_FILE) }, success: true },
    ],
  });
  const otelTarget = req.env.COPILOT_OTEL_FILE_EXPORTER_PATH;
  if (otelTarget && otelTarget !== otelPath) writeFileSync(otelTarget, await Bun.file(otelPath).bytes());
  appendFileSync(
    join(workspace, DRY_RUN_FILE),
    "This file was written by the dry-run stand-in for Copilot.\n",
  );
  const share = argValue(req.args, "--share");
  if (share)
    writeFileSync(share, `# Dry run session ${sessionId}\n\nThe mock invoker ran instead of Copilot.\n`);
  const line = `${JSON.stringify({ type: "result", sessionId, exitCode: 0, mock: true, events: eventsPath })}\n`;
  req.output.write(line);
  req.onOutput?.(new TextEncoder().encode(line));
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    aborted: false,
    durationMs: performance.now() - started,
  };
};
