import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { type Problems, readArtifact } from "./json-file.ts";
import { ARTIFACTS, type ArtifactName, PGID_FILE, taskDir, variantDir } from "./layout.ts";
import {
  type TaskFile,
  TaskFileSchema,
  type VariantFile,
  VariantFileSchema,
  type VerifyResult,
  VerifyResultSchema,
} from "./schema.ts";
import { type SessionAnalysis, SessionAnalysisSchema } from "./session-schema.ts";
import { type RunSummary, RunSummarySchema } from "./summary-schema.ts";
import { type Trajectory, TrajectorySchema } from "./trajectory-schema.ts";

/**
 * Reading a trial's (and a run's) other artifacts: the JSON ones validated against their
 * schema, the text ones as text or as a bounded head. Paths of the files that other modules
 * stream themselves (session logs for `analyze`, the diff for `inspect`) come from here too.
 */

/** The path of one of a trial's (or a run's) artifacts. */
export const artifactPath = (dir: string, name: ArtifactName) => join(dir, name);

/** The workspace folder of a trial. */
export const workspacePath = (trialDir: string) => join(trialDir, ARTIFACTS.workspace);

/** Whether a trial still has its workspace folder (`keep_workspaces` may have removed it). */
export const hasWorkspace = (trialDir: string) => existsSync(workspacePath(trialDir));

export const readVerify = (trialDir: string, problems: Problems): VerifyResult | null =>
  readArtifact(join(trialDir, ARTIFACTS.verify), VerifyResultSchema, problems);

export const readAnalysis = (trialDir: string, problems: Problems): SessionAnalysis | null =>
  readArtifact(join(trialDir, ARTIFACTS.analysis), SessionAnalysisSchema, problems);

export const readTrajectory = (trialDir: string, problems: Problems): Trajectory | null =>
  readArtifact(join(trialDir, ARTIFACTS.trajectory), TrajectorySchema, problems);

export const readSummary = (runDir: string, problems: Problems): RunSummary | null =>
  readArtifact(join(runDir, ARTIFACTS.summary), RunSummarySchema, problems);

export const readVariantFile = (runDir: string, variant: string, problems: Problems): VariantFile | null =>
  readArtifact(join(variantDir(runDir, variant), ARTIFACTS.variant), VariantFileSchema, problems);

export const readTaskFile = (
  runDir: string,
  variant: string,
  task: string,
  problems: Problems,
): TaskFile | null =>
  readArtifact(join(taskDir(runDir, variant, task), ARTIFACTS.task), TaskFileSchema, problems);

/** A text artifact, or null when it does not exist or cannot be read. */
export function readText(dir: string, name: ArtifactName): string | null {
  try {
    return readFileSync(join(dir, name), "utf8");
  } catch {
    return null;
  }
}

/** Size of an artifact in bytes (0 when missing). */
export function artifactSize(dir: string, name: ArtifactName): number {
  try {
    return statSync(join(dir, name)).size;
  } catch {
    return 0;
  }
}

export const hasArtifact = (dir: string, name: ArtifactName) => existsSync(join(dir, name));

/** Artifact files present in a trial folder, in the layout's order. */
const ARTIFACT_FILES: string[] = Object.values(ARTIFACTS).filter((name) => name.includes("."));

export function trialArtifacts(dir: string): string[] {
  try {
    const present = new Set(readdirSync(dir));
    return ARTIFACT_FILES.filter((name) => present.has(name));
  } catch {
    return [];
  }
}

export interface TextHead {
  text: string;
  truncated: boolean;
  total_bytes: number;
  total_lines: number;
}

/**
 * The head of a text artifact, cut at a line boundary once it exceeds `maxBytes`, without
 * reading the rest of a huge file. `total_bytes` is the file size. Null when it is missing.
 */
export function readHead(dir: string, name: ArtifactName, maxBytes: number): TextHead | null {
  const path = join(dir, name);
  let fd: number | undefined;
  try {
    if (!existsSync(path)) return null;
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    if (size <= maxBytes) {
      const text = readFileSync(fd, "utf8");
      return { text, truncated: false, total_bytes: size, total_lines: countLines(text) };
    }
    const buf = Buffer.alloc(maxBytes);
    const n = readSync(fd, buf, 0, maxBytes, 0);
    let text = buf.subarray(0, n).toString("utf8");
    const lastNewline = text.lastIndexOf("\n");
    if (lastNewline > 0) text = text.slice(0, lastNewline + 1);
    return { text, truncated: true, total_bytes: size, total_lines: countLinesOfFile(fd, size) };
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n : n + 1;
}

function countLinesOfFile(fd: number, size: number): number {
  const chunk = Buffer.alloc(1 << 20);
  let n = 0;
  let last = 10;
  for (let pos = 0; pos < size; ) {
    const read = readSync(fd, chunk, 0, chunk.length, pos);
    if (read <= 0) break;
    for (let i = 0; i < read; i++) if (chunk[i] === 10) n++;
    last = chunk[read - 1]!;
    pos += read;
  }
  return last === 10 ? n : n + 1;
}

/** The process group a trial's Copilot ran in, when the harness died while it ran. */
export function readPgid(trialDir: string): number | undefined {
  try {
    const pgid = Number(readFileSync(join(trialDir, PGID_FILE), "utf8").trim());
    return Number.isInteger(pgid) && pgid > 1 ? pgid : undefined;
  } catch {
    return undefined;
  }
}
