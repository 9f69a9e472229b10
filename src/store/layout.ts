import { join } from "node:path";
import { UserError } from "../errors.ts";
import { randomHex } from "../util/hash.ts";
import { SEGMENT_PATTERN } from "./schema.ts";

/**
 * The results tree (README, "Results layout"): every path of it is spelled here and nowhere
 * else. The filesystem is the source of truth; the index, summaries and report derive from it.
 *
 * results/index.db
 * results/<experiment>/<run-id>/{run.json,summary.json,summary.md,report.html}
 *   variants/<variant>/variant.json
 *   variants/<variant>/tasks/<task>/task.json
 *   variants/<variant>/tasks/<task>/trials/<NNN>/{meta.json,prompt.md,setup.txt,stdout.txt,
 *     session.md,events.jsonl,copilot-otel.jsonl,metrics.json,analysis.json,trajectory.json,
 *     workspace.diff,verify.json,workspace/,attempts/<n>/}
 * results/<experiment>/<run-id>/.snapshots.<slice>/<task>/   while a run slice runs (ADR 0017)
 * results/<experiment>/.snapshots.pending-<pid>-<hex>/<task>/   while its run's preflight runs
 *
 * Every name that becomes a path segment is checked (`assertSegment`): a slug or run id read
 * back from a file can never lead outside results/.
 */

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
  trajectory: "trajectory.json",
  diff: "workspace.diff",
  verify: "verify.json",
  workspace: "workspace",
} as const;
export type ArtifactName = (typeof ARTIFACTS)[keyof typeof ARTIFACTS];

const RESULTS = "results";
const INDEX = "index.db";
export const VARIANTS = "variants";
export const TASKS = "tasks";
export const TRIALS = "trials";
export const ATTEMPTS = "attempts";
/** The process group of a running Copilot, kept in the trial folder while it runs. */
export const PGID_FILE = ".copilot.pgid";
/** The harness's own git directory over the workspace, while the trial runs (ADR 0013). */
export const HARNESS_GIT = ".harness.git";
/**
 * The sources of a run slice's tasks, snapshotted once with their git objects, while the slice
 * runs (`.snapshots.whole`, `.snapshots.<K>-of-<N>`: shards sharing a folder keep their own).
 */
export const SNAPSHOTS = ".snapshots";
const PENDING_SNAPSHOTS = `${SNAPSHOTS}.pending-`;

/** A name that becomes one path segment: refused (exit 2) unless it is a safe folder name. */
export function assertSegment(kind: string, name: string): string {
  if (typeof name !== "string" || !SEGMENT_PATTERN.test(name)) {
    throw new UserError(`${kind} ${JSON.stringify(name)} is not a valid folder name`, {
      hint: "Names in the results tree use letters, digits, '.', '_' and '-' and start with a letter or digit.",
    });
  }
  return name;
}

export function assertTrialNumber(trial: number): number {
  if (!Number.isInteger(trial) || trial < 1) throw new UserError(`trial ${trial} is not a trial number`);
  return trial;
}

export const resultsRoot = (root: string) => join(root, RESULTS);
export const indexPath = (root: string) => join(resultsRoot(root), INDEX);
export const experimentResultsDir = (root: string, experiment: string) =>
  join(resultsRoot(root), assertSegment("experiment", experiment));
export const runDir = (root: string, experiment: string, runId: string) =>
  join(experimentResultsDir(root, experiment), assertSegment("run id", runId));
export const variantDir = (run: string, variant: string) =>
  join(run, VARIANTS, assertSegment("variant", variant));
export const taskDir = (run: string, variant: string, task: string) =>
  join(variantDir(run, variant), TASKS, assertSegment("task", task));
export const trialName = (trial: number) => String(assertTrialNumber(trial)).padStart(3, "0");
export const trialDir = (run: string, variant: string, task: string, trial: number) =>
  join(taskDir(run, variant, task), TRIALS, trialName(trial));
/** Where a run slice (`whole`, `2-of-4`) keeps its snapshots while it runs. */
export const snapshotsDir = (run: string, slice: string) =>
  join(run, `${SNAPSHOTS}.${assertSegment("run slice", slice)}`);
/**
 * Where a run about to start builds its first snapshots while preflight runs, before its run
 * folder exists: beside the runs of its experiment (one filesystem, so they move by a rename).
 * `owner` is `<pid>-<hex>`; readers skip the folder (its name is not a run id).
 */
export const pendingSnapshotsDir = (root: string, experiment: string, owner: string) =>
  join(experimentResultsDir(root, experiment), `${PENDING_SNAPSHOTS}${assertSegment("owner", owner)}`);
export const isPendingSnapshots = (name: string) => name.startsWith(PENDING_SNAPSHOTS);
/** Folders of a run that are the harness's, not results: readers and cleaners skip them. */
export const isHarnessFolder = (name: string) => name === HARNESS_GIT || name.startsWith(`${SNAPSHOTS}.`);

/** Sortable run id: `20261126T103300Z_a1b2c3` (UTC second + 6 random hex digits). */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}_${randomHex(3)}`;
}

/** Run ids given by `--run-id` (shards of one run) must be safe folder names. */
export function isValidRunId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(id);
}
