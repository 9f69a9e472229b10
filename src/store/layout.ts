import { randomBytes } from "node:crypto";
import { join } from "node:path";

/**
 * The results tree (SPEC 4.3): the filesystem is the source of truth; the index, summaries and
 * report are derived from it.
 *
 * results/index.db
 * results/<experiment>/<run-id>/{run.json,summary.json,summary.md,report.html}
 *   variants/<variant>/variant.json
 *   variants/<variant>/tasks/<task>/task.json
 *   variants/<variant>/tasks/<task>/trials/<NNN>/{meta.json,prompt.md,stdout.txt,session.md,
 *     events.jsonl,copilot-otel.jsonl,metrics.json,analysis.json,workspace.diff,verify.json,workspace/}
 */

export const FORMAT_VERSION = 1;

export const ARTIFACTS = {
  run: "run.json",
  summary: "summary.json",
  summaryMd: "summary.md",
  report: "report.html",
  variant: "variant.json",
  task: "task.json",
  meta: "meta.json",
  prompt: "prompt.md",
  stdout: "stdout.txt",
  setup: "setup.txt",
  session: "session.md",
  events: "events.jsonl",
  otel: "copilot-otel.jsonl",
  metrics: "metrics.json",
  analysis: "analysis.json",
  diff: "workspace.diff",
  verify: "verify.json",
  workspace: "workspace",
} as const;

export const resultsRoot = (root: string) => join(root, "results");
export const indexPath = (root: string) => join(resultsRoot(root), "index.db");
export const experimentResultsDir = (root: string, experiment: string) => join(resultsRoot(root), experiment);
export const runDir = (root: string, experiment: string, runId: string) =>
  join(resultsRoot(root), experiment, runId);
export const variantDir = (run: string, variant: string) => join(run, "variants", variant);
export const taskDir = (run: string, variant: string, task: string) =>
  join(variantDir(run, variant), "tasks", task);
export const trialName = (trial: number) => String(trial).padStart(3, "0");
export const trialDir = (run: string, variant: string, task: string, trial: number) =>
  join(taskDir(run, variant, task), "trials", trialName(trial));

/** Sortable run id: `20261126T103300Z_a1b2c3` (UTC second + 6 random hex digits). */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}_${randomBytes(3).toString("hex")}`;
}

export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z_[0-9a-f]{6}$/;

/** Run ids given by `--run-id` (shards of one run) must be safe folder names. */
export function isValidRunId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(id);
}
