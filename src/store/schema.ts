import { z } from "zod";

/**
 * Schemas of the results tree's JSON artifacts (run.json, variant.json, task.json, meta.json,
 * verify.json; the session artifacts are in session-schema.ts, summary.json in
 * summary-schema.ts). Every file carries `format_version`: what a bump means and how older runs
 * are read is in docs/results-format.md.
 */

/** The version of every JSON artifact of the results tree. */
export const FORMAT_VERSION = 1;
export const FormatVersionSchema = z.literal(FORMAT_VERSION);

/**
 * Experiment, variant and task slugs and run ids are folder names: one safe path segment (no
 * separator, no leading dot), so a name read back from a file can never point outside results/.
 */
export const SEGMENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const SlugSchema = z.string().regex(SEGMENT_PATTERN);
/** A 1-based trial number (folder `001`, `002`, …). */
export const TrialNumberSchema = z.number().int().min(1);

export const TRIAL_STATUSES = [
  "ok",
  "copilot_failed",
  "timeout",
  "harness_error",
  "interrupted",
  "skipped",
] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/** Statuses that end a trial for good: resume keeps them. */
export const FINAL_STATUSES: readonly TrialStatus[] = ["ok", "copilot_failed", "timeout", "harness_error"];
/** Statuses whose trials ran: success rates are computed over these. */
export const RAN_STATUSES: readonly TrialStatus[] = ["ok", "timeout"];
/** Infrastructure failures: reported beside success rates, retried by --retries. */
export const INFRA_STATUSES: readonly TrialStatus[] = ["copilot_failed", "harness_error"];

export const RUN_STATUSES = ["running", "completed", "partial", "failed", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const VerifyRunSchema = z.object({
  exit_code: z.number().nullable(),
  success: z.boolean(),
  duration_s: z.number(),
  timed_out: z.boolean(),
});

export const VerifyResultSchema = z.object({
  format_version: FormatVersionSchema,
  command: z.string(),
  exit_code: z.number().nullable(),
  success: z.boolean(),
  /** Combined output of the last run (tail, secrets redacted). */
  output: z.string(),
  duration_s: z.number(),
  timed_out: z.boolean(),
  /** Verify ran `verify_repeats` times; differing outcomes make the trial flaky. */
  runs: z.array(VerifyRunSchema),
  flaky: z.boolean(),
});
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

export const AttemptSchema = z.object({
  attempt: z.number(),
  status: z.enum(TRIAL_STATUSES),
  error: z.string().nullable(),
  session_id: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string(),
  /** Folder (relative to the trial) holding the failed attempt's artifacts. */
  dir: z.string().nullable(),
});

export const TrialMetaSchema = z.object({
  format_version: FormatVersionSchema,
  experiment: SlugSchema,
  run_id: SlugSchema,
  variant: SlugSchema,
  task: SlugSchema,
  trial: TrialNumberSchema,
  status: z.enum(TRIAL_STATUSES),
  /** One-line reason when status is not ok (or verify failed). */
  error: z.string().nullable(),
  /** The file to read for the reason, relative to the trial folder. */
  error_artifact: z.string().nullable(),
  /** Verify outcome: null when the task is not graded or verify did not run. */
  success: z.boolean().nullable(),
  flaky_verify: z.boolean(),
  session_id: z.string().nullable(),
  copilot_exit_code: z.number().nullable(),
  copilot_signal: z.string().nullable(),
  timed_out: z.boolean(),
  started_at: z.string(),
  finished_at: z.string(),
  duration_s: z.number(),
  copilot_duration_s: z.number().nullable(),
  baseline_commit: z.string().nullable(),
  /** The argument vector Copilot got (prompt elided; it is in prompt.md). */
  command: z.array(z.string()),
  secret_env_vars: z.array(z.string()),
  attempts: z.array(AttemptSchema),
  /** What this trial ran in (README, Sandbox); absent in runs made before sandboxes. */
  sandbox: z.enum(["bwrap", "none"]).optional(),
});
export type TrialMeta = z.infer<typeof TrialMetaSchema>;
export type Attempt = z.infer<typeof AttemptSchema>;

export const ContextFileSchema = z.object({ path: z.string(), sha256: z.string(), bytes: z.number() });

/** What a variant adds to the agent's context (files with content hashes, MCP server names). */
export const VariantContextSchema = z.object({
  instructions: ContextFileSchema.optional(),
  overlay: z.object({ path: z.string(), files: z.array(ContextFileSchema) }).optional(),
  copilot_home: z.object({ path: z.string(), files: z.array(ContextFileSchema) }).optional(),
  mcp_servers: z.array(z.string()).optional(),
  agent: z.string().optional(),
});
export type VariantContext = z.infer<typeof VariantContextSchema>;
export type ContextFile = z.infer<typeof ContextFileSchema>;

/**
 * The Copilot CLI versions a run's trials ran, each read from the trial's own session log, against
 * the version preflight probed (docs/compatibility.md, "Which version runs"): in run.json and
 * summary.json. A mix, or a mismatch with preflight, carries a warning.
 */
export const VersionsRanSchema = z.object({
  /** Versions with the number of trials that ran each, most trials first. */
  ran: z.array(z.object({ version: z.string(), trials: z.number().int().nonnegative() })),
  /** Trials that invoked Copilot but whose session log names no version (or that left none). */
  unknown: z.number().int().nonnegative(),
  mixed: z.boolean(),
  /** Some trial ran another version than preflight probed. */
  mismatch: z.boolean(),
  warning: z.string().nullable(),
});
export type VersionsRan = z.infer<typeof VersionsRanSchema>;

export const RunRecordSchema = z.object({
  format_version: FormatVersionSchema,
  run_id: SlugSchema,
  status: z.enum(RUN_STATUSES),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  experiment: z.object({
    name: z.string(),
    slug: SlugSchema,
    description: z.string().nullable(),
    file: z.string(),
    hash: z.string(),
  }),
  /** The experiment definition as validated, secrets masked. */
  definition: z.record(z.string(), z.unknown()),
  variants: z.array(
    z.object({
      slug: SlugSchema,
      name: z.string(),
      trials: z.number(),
      model: z.string().nullable(),
      reasoning_effort: z.string().nullable(),
      /** What the variant adds to the agent's context (overlay, instructions, home, MCP). */
      context: VariantContextSchema.default({}),
    }),
  ),
  tasks: z.array(z.object({ slug: SlugSchema, name: z.string(), graded: z.boolean() })),
  copilot: z.object({
    /** The version preflight probed, running the CLI as trials do. */
    version: z.string(),
    binary: z.string().nullable(),
    source: z.string(),
    /** What the trials ran: written when the run ends (null before, and in older runs). */
    versions_ran: VersionsRanSchema.nullable().default(null),
  }),
  tool: z.object({
    name: z.string(),
    version: z.string(),
    /** The commit the binary was built from (`+dirty` for uncommitted changes); null from source. */
    commit: z.string().nullable().default(null),
  }),
  host: z.object({
    hostname: z.string(),
    platform: z.string(),
    arch: z.string(),
    cpus: z.number(),
    memory_gb: z.number(),
    bun: z.string(),
  }),
  root_git_head: z.string().nullable(),
  token_source: z.string().nullable(),
  options: z.object({
    concurrency: z.number(),
    retries: z.number(),
    budget_aiu: z.number().nullable(),
    isolate_home: z.boolean(),
    shard: z.string().nullable(),
    dry_run: z.boolean(),
    /** What the run's trials ran in (README, Sandbox); absent in runs made before sandboxes. */
    sandbox: z.enum(["bwrap", "none"]).optional(),
    /** Which trials kept their workspace (absent: runs from before the option, which kept all). */
    keep_workspaces: z.enum(["all", "failed", "none"]).optional(),
  }),
  /** Trials planned for this run (all shards), and how many ended in each status. */
  counts: z.object({ planned: z.number(), finished: z.number() }).catchall(z.number()),
  /** Shards merged into this run (`merge`). */
  shards: z.array(z.string()).default([]),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** variant.json: what a variant was (its definition as validated, secrets masked) and adds. */
export const VariantFileSchema = z.object({
  format_version: FormatVersionSchema,
  slug: SlugSchema,
  name: z.string(),
  definition: z.record(z.string(), z.unknown()),
  context: VariantContextSchema,
});
export type VariantFile = z.infer<typeof VariantFileSchema>;

/** task.json: what a task was (its definition as validated, secrets masked). */
export const TaskFileSchema = z.object({
  format_version: FormatVersionSchema,
  slug: SlugSchema,
  name: z.string(),
  definition: z.record(z.string(), z.unknown()),
});
export type TaskFile = z.infer<typeof TaskFileSchema>;
