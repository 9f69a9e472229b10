import { readFileSync } from "node:fs";
import type { z } from "zod";
import { UserError } from "../errors.ts";
import { isPlainObject, readWith } from "./guard.ts";
import { FORMAT_VERSION } from "./schema.ts";

/**
 * Reading one JSON artifact: missing, unreadable, malformed and invalid files told apart, and
 * reported as the reading asks — strict readings throw a `DamagedFileError` naming the file
 * (exit 2), lenient ones collect it in `skipped` and go on.
 */

/** A file left out by a lenient reading, and why. */
export interface Skipped {
  path: string;
  reason: string;
}

export type Mode = "strict" | "lenient";

/** Where a reading reports a damaged file: strict readings throw, lenient ones collect. */
export class Problems {
  readonly skipped: Skipped[] = [];
  constructor(readonly mode: Mode) {}

  report(path: string, reason: string, hint?: string): void {
    if (this.mode === "strict") throw damaged(path, reason, hint);
    this.skipped.push({ path, reason });
  }
}

/** A file of the results tree that cannot be read: exit 2, naming it. */
export class DamagedFileError extends UserError {
  constructor(
    readonly path: string,
    readonly reason: string,
    hint?: string,
  ) {
    super(`${path}: ${reason}`, {
      hint:
        hint ??
        "The file is damaged or was not written by copilot-experiments: restore it from a copy, or remove the trial's folder and `run --resume` the run.",
    });
  }
}

export function damaged(path: string, reason: string, hint?: string): DamagedFileError {
  return new DamagedFileError(path, reason, hint);
}

type Parsed = { ok: true; value: unknown } | { ok: false; missing: boolean; reason: string };

/** A file's JSON; missing, unreadable and malformed files are told apart. */
export function parseJsonFile(path: string): Parsed {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return {
      ok: false,
      missing: code === "ENOENT",
      reason: code === "ENOENT" ? "missing" : `unreadable (${code})`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const why =
      text.trim() === "" ? "empty" : `not valid JSON (${(err as Error).message}): truncated or damaged`;
    return { ok: false, missing: false, reason: why };
  }
}

/** Why a value is not a valid artifact: a newer format, or the first few schema problems. */
export function invalidReason(schema: z.ZodType, value: unknown): string {
  const version = isPlainObject(value) ? value.format_version : undefined;
  if (typeof version === "number" && version > FORMAT_VERSION) {
    return `written in format ${version}, newer than this copilot-experiments reads (${FORMAT_VERSION}): upgrade copilot-experiments`;
  }
  const result = schema.safeParse(value);
  if (result.success) return "valid";
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`);
  return `does not match the format (${issues.join("; ")})`;
}

/** Read and validate one JSON artifact; null when it is missing (and `missing` allows it). */
export function readArtifact<S extends z.ZodType>(
  path: string,
  schema: S,
  problems: Problems,
): z.infer<S> | null {
  const parsed = parseJsonFile(path);
  if (!parsed.ok) {
    if (!parsed.missing) problems.report(path, parsed.reason);
    return null;
  }
  const result = readWith(schema, parsed.value);
  if (result.ok) return result.data;
  problems.report(path, invalidReason(schema, parsed.value));
  return null;
}
