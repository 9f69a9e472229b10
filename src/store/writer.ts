import {
  appendFileSync,
  cpSync,
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
} from "node:fs";
import { join } from "node:path";
import type { Redactor } from "../secrets/redact.ts";
import { isTempArtifact, writeFileAtomic } from "./atomic.ts";
import { copyRedacted } from "./copy-redacted.ts";
import { compileGuard } from "./guard.ts";
import {
  ARTIFACTS,
  ATTEMPTS,
  assertSegment,
  HARNESS_GIT,
  isHarnessFolder,
  PGID_FILE,
  resultsRoot,
  snapshotsDir,
  taskDir,
  trialDir,
  variantDir,
} from "./layout.ts";
import { removeTree } from "./remove.ts";
import {
  type RunRecord,
  RunRecordSchema,
  type TaskFile,
  TaskFileSchema,
  type TrialMeta,
  TrialMetaSchema,
  type VariantFile,
  VariantFileSchema,
  type VerifyResult,
  VerifyResultSchema,
} from "./schema.ts";
import {
  type SessionAnalysis,
  SessionAnalysisSchema,
  type TrialMetrics,
  TrialMetricsSchema,
} from "./session-schema.ts";
import { type RunSummary, RunSummarySchema } from "./summary-schema.ts";
import { type Trajectory, TrajectorySchema } from "./trajectory-schema.ts";

/**
 * The one writer of the results tree, and the one redaction point: a `RunWriter` is made with
 * the run's `Redactor` and a `TrialWriter` with the trial's (the run's plus the secrets of the
 * trial's invocation); every artifact, JSON or text, passes through it on its way to disk, and
 * nothing else in src/ writes under results/ (test/unit/structure.test.ts checks). JSON
 * artifacts are checked against their schema (a failure is a bug, not a user error), written
 * to a temporary sibling and renamed, so a reader never sees a torn file.
 */

const SCHEMAS = {
  run: RunRecordSchema,
  variant: VariantFileSchema,
  task: TaskFileSchema,
  meta: TrialMetaSchema,
  metrics: TrialMetricsSchema,
  analysis: SessionAnalysisSchema,
  trajectory: TrajectorySchema,
  verify: VerifyResultSchema,
  summary: RunSummarySchema,
};
type Kind = keyof typeof SCHEMAS;

/** Compiled on first use: a command that writes one kind of file pays for one. */
const guards = new Map<Kind, (value: unknown) => boolean>();

function writeJson(path: string, kind: Kind, value: unknown, redactor: Redactor): void {
  let guard = guards.get(kind);
  if (!guard) {
    guard = compileGuard(SCHEMAS[kind]);
    guards.set(kind, guard);
  }
  if (!guard(value)) throw new Error(`refusing to write an invalid ${kind} artifact to ${path}`);
  writeFileAtomic(path, redactor.json(value), "\n");
}

/** Text files the trial pipeline stages outside results/ and copies in, redacted. */
export type StagedArtifact = "stdout" | "session" | "otel" | "events";

export class TrialWriter {
  constructor(
    readonly dir: string,
    readonly redactor: Redactor,
  ) {}

  /** The trial folder, created (empty of nothing: a resume removes an unfinished one first). */
  create(): this {
    mkdirSync(this.dir, { recursive: true });
    return this;
  }

  /** The same trial, with more secrets known (those of the trial's invocation). */
  withSecrets(values: Iterable<string | undefined>): TrialWriter {
    return new TrialWriter(this.dir, this.redactor.with(values));
  }

  /** Where the workspace is provisioned: the trial's `workspace/` folder. */
  get workspace(): string {
    return join(this.dir, ARTIFACTS.workspace);
  }

  /** The harness's own git directory over the workspace (removed when the trial ends). */
  get harnessGitDir(): string {
    return join(this.dir, HARNESS_GIT);
  }

  removeHarnessGit(): void {
    removeTree(this.harnessGitDir);
  }

  /** Remove the workspace (`keep_workspaces`): its diff and every other artifact stay. */
  removeWorkspace(): void {
    removeTree(this.workspace);
  }

  private text(name: string, text: string): void {
    writeFileAtomic(join(this.dir, name), this.redactor.redact(text));
  }

  writePrompt(prompt: string): void {
    this.text(ARTIFACTS.prompt, prompt.endsWith("\n") ? prompt : `${prompt}\n`);
  }

  writeSetupLog(log: string): void {
    this.text(ARTIFACTS.setup, log);
  }

  writeDiff(patch: string): void {
    this.text(ARTIFACTS.diff, patch);
  }

  writeVerify(verify: VerifyResult): void {
    writeJson(join(this.dir, ARTIFACTS.verify), "verify", verify, this.redactor);
  }

  writeMetrics(metrics: TrialMetrics): void {
    writeJson(join(this.dir, ARTIFACTS.metrics), "metrics", metrics, this.redactor);
  }

  writeAnalysis(analysis: SessionAnalysis): void {
    writeJson(join(this.dir, ARTIFACTS.analysis), "analysis", analysis, this.redactor);
  }

  /** trajectory.json: the session in ATIF (docs/adr/0015). */
  writeTrajectory(trajectory: Trajectory): void {
    writeJson(join(this.dir, ARTIFACTS.trajectory), "trajectory", trajectory, this.redactor);
  }

  /** meta.json: the last file of a trial; a trial folder without one never finished. */
  writeMeta(meta: TrialMeta): void {
    writeJson(join(this.dir, ARTIFACTS.meta), "meta", meta, this.redactor);
  }

  /** A text artifact held in memory (a fake session's log, say), written whole, redacted. */
  writeStaged(artifact: StagedArtifact, text: string): void {
    this.text(ARTIFACTS[artifact], text);
  }

  /** Copy a staged text file in, redacted line by line; false when it does not exist. */
  copyIn(from: string, artifact: StagedArtifact): Promise<boolean> {
    return copyRedacted(from, join(this.dir, ARTIFACTS[artifact]), this.redactor);
  }

  /** The process group of the running Copilot, for a later `--resume` to find if the harness dies. */
  writePgid(pgid: number): void {
    writeFileAtomic(join(this.dir, PGID_FILE), `${pgid}\n`);
  }

  clearPgid(): void {
    rmSync(join(this.dir, PGID_FILE), { force: true });
  }

  /** Move a failed attempt's artifacts aside (`attempts/<n>/`) so the next attempt starts clean. */
  archiveAttempt(attempt: number): string {
    const rel = join(ATTEMPTS, String(attempt));
    const target = join(this.dir, rel);
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(this.dir)) {
      if (entry === ATTEMPTS) continue;
      renameSync(join(this.dir, entry), join(target, entry));
    }
    return rel;
  }
}

export class RunWriter {
  constructor(
    readonly dir: string,
    readonly redactor: Redactor,
  ) {}

  create(): this {
    mkdirSync(this.dir, { recursive: true });
    return this;
  }

  writeRecord(record: RunRecord): void {
    writeJson(join(this.dir, ARTIFACTS.run), "run", record, this.redactor);
  }

  writeVariant(file: VariantFile): void {
    writeJson(join(variantDir(this.dir, file.slug), ARTIFACTS.variant), "variant", file, this.redactor);
  }

  writeTask(variant: string, file: TaskFile): void {
    writeJson(join(taskDir(this.dir, variant, file.slug), ARTIFACTS.task), "task", file, this.redactor);
  }

  writeSummary(summary: RunSummary, markdown: string): void {
    writeJson(join(this.dir, ARTIFACTS.summary), "summary", summary, this.redactor);
    writeFileAtomic(join(this.dir, ARTIFACTS.summaryMd), this.redactor.redact(markdown));
  }

  writeReport(html: string): string {
    const path = join(this.dir, ARTIFACTS.report);
    writeFileAtomic(path, this.redactor.redact(html));
    return path;
  }

  /** The writer of one trial; `secrets` are those of its invocation, on top of the run's. */
  trial(
    variant: string,
    task: string,
    trial: number,
    secrets: Iterable<string | undefined> = [],
  ): TrialWriter {
    return new TrialWriter(trialDir(this.dir, variant, task, trial), this.redactor.with(secrets));
  }

  /** Remove a trial folder (an unfinished trial that runs again). */
  removeTrial(variant: string, task: string, trial: number): void {
    removeTree(trialDir(this.dir, variant, task, trial));
  }

  /** Where the run slice (`whole`, `2-of-4`) keeps its snapshots of the tasks' sources. */
  snapshotsDir(slice: string): string {
    return snapshotsDir(this.dir, slice);
  }

  /** Where the run slice keeps its snapshot of one task's sources. */
  snapshotDir(slice: string, task: string): string {
    return join(this.snapshotsDir(slice), assertSegment("task", task));
  }

  /** Remove the slice's snapshots: when it ends, and what a killed slice left before it resumes. */
  removeSnapshots(slice: string): void {
    removeTree(this.snapshotsDir(slice));
  }

  /** Temporary files a killed writer left behind, so no later reader trips over them. */
  removeTempFiles(dir = this.dir): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== ARTIFACTS.workspace && !isHarnessFolder(entry.name))
        this.removeTempFiles(path);
      else if (entry.isFile() && isTempArtifact(entry.name)) rmSync(path, { force: true });
    }
  }

  /** A finished trial of another folder (a shard being merged), copied in as it is. */
  importTrial(fromDir: string, meta: TrialMeta): string {
    const to = trialDir(this.dir, meta.variant, meta.task, meta.trial);
    cpSync(fromDir, to, { recursive: true, verbatimSymlinks: true, force: true });
    return to;
  }
}

/** A file outside the results tree (JUnit XML, `report --out`, a new experiment root), redacted. */
export function writeOutput(path: string, text: string, redactor: Redactor): void {
  writeFileAtomic(path, redactor.redact(text));
}

/** Append to a file outside the results tree (the GitHub step summary), redacted. */
export function appendOutput(path: string, text: string, redactor: Redactor): void {
  appendFileSync(path, redactor.redact(text));
}

/**
 * Whether the results folder of `root` can be written (or, before the first run, the root
 * itself): `doctor` reports it before a run would fail on it.
 */
export function resultsWritable(root: string): { path: string; writable: boolean; error?: string } {
  const results = resultsRoot(root);
  const target = existsSync(results) ? results : root;
  const probe = join(target, `.cx-doctor-${process.pid}.tmp`);
  try {
    writeFileAtomic(probe, "");
    rmSync(probe, { force: true });
    return { path: results, writable: true };
  } catch (err) {
    return { path: results, writable: false, error: `${target} is not writable: ${(err as Error).message}` };
  }
}
