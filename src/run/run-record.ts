import { cpus, hostname, totalmem } from "node:os";
import type { Experiment } from "../experiment/load.ts";
import type { RunRecord, RunStatus, TrialMeta } from "../store/schema.ts";
import { FORMAT_VERSION, TRIAL_STATUSES } from "../store/schema.ts";
import { BUILD_COMMIT, TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { variantContext } from "./variant-context.ts";

export function hostInfo(): RunRecord["host"] {
  return {
    hostname: hostname(),
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
    memory_gb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    bun: Bun.version,
  };
}

export function newRunRecord(opts: {
  experiment: Experiment;
  runId: string;
  copilot: Omit<RunRecord["copilot"], "versions_ran">;
  rootGitHead: string | undefined;
  tokenSource: string | undefined;
  options: RunRecord["options"];
  planned: number;
}): RunRecord {
  const { experiment } = opts;
  return {
    format_version: FORMAT_VERSION,
    run_id: opts.runId,
    status: "running",
    started_at: new Date().toISOString(),
    finished_at: null,
    experiment: {
      name: experiment.name,
      slug: experiment.slug,
      description: experiment.description ?? null,
      file: experiment.file,
      hash: experiment.hash,
    },
    definition: experiment.redacted as unknown as Record<string, unknown>,
    variants: experiment.variants.map((v) => ({
      slug: v.slug,
      name: v.name ?? v.slug,
      trials: v.trials,
      model: v.model ?? v.provider?.model_id ?? null,
      reasoning_effort: v.reasoning_effort ?? null,
      context: variantContext(v),
    })),
    tasks: experiment.tasks.map((t) => ({
      slug: t.slug,
      name: t.name ?? t.slug,
      graded: t.verify !== undefined,
    })),
    copilot: { ...opts.copilot, versions_ran: null },
    tool: { name: TOOL_NAME, version: TOOL_VERSION, commit: BUILD_COMMIT ?? null },
    host: hostInfo(),
    root_git_head: opts.rootGitHead ?? null,
    token_source: opts.tokenSource ?? null,
    options: opts.options,
    counts: { planned: opts.planned, finished: 0 },
    shards: [],
  };
}

/** Counts per status over the trials that have a meta.json. */
export function countStatuses(metas: readonly TrialMeta[], planned: number): RunRecord["counts"] {
  const counts: RunRecord["counts"] = { planned, finished: metas.length };
  for (const status of TRIAL_STATUSES) counts[status] = metas.filter((m) => m.status === status).length;
  return counts;
}

/**
 * How a run ended: `interrupted` (signal), `failed` (no trial ran: every one was an
 * infrastructure failure), `partial` (cells skipped, missing, or left for other shards),
 * `completed` (every planned cell has a final status).
 */
export function runStatus(metas: readonly TrialMeta[], planned: number, interrupted: boolean): RunStatus {
  if (interrupted || metas.some((m) => m.status === "interrupted")) return "interrupted";
  const ran = metas.filter((m) => m.status === "ok" || m.status === "timeout").length;
  if (
    metas.length > 0 &&
    ran === 0 &&
    metas.every((m) => m.status === "copilot_failed" || m.status === "harness_error")
  ) {
    return "failed";
  }
  if (metas.length < planned || metas.some((m) => m.status === "skipped")) return "partial";
  return "completed";
}
