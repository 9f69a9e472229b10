import { TRIAL_COLUMNS, TRIAL_KEY } from "../formats/trial-columns.ts";

/**
 * The index schema (docs/adr/0004-sqlite-index.md). The index is derived from the results tree, so a schema change
 * never migrates: an index whose `PRAGMA user_version` differs from `INDEX_SCHEMA_VERSION` is
 * rebuilt from the files. The version is a hash of the DDL below, so adding a metric (a column)
 * changes it without anyone having to remember a bump.
 */

export const TABLES = ["trials", "tasks", "variants", "runs", "experiments"] as const;

const EXPERIMENTS = `CREATE TABLE experiments (
  experiment TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  file TEXT,
  hash TEXT,
  n_runs INTEGER NOT NULL,
  last_run_id TEXT NOT NULL,
  last_started_at TEXT NOT NULL
)`;

/** Run columns besides the key (experiment, run_id), in order. */
export const RUN_COLUMNS = [
  ["status", "TEXT NOT NULL"],
  ["started_at", "TEXT NOT NULL"],
  ["finished_at", "TEXT"],
  ["experiment_name", "TEXT NOT NULL"],
  ["experiment_description", "TEXT"],
  ["experiment_file", "TEXT"],
  ["experiment_hash", "TEXT"],
  ["copilot_version", "TEXT"],
  ["tool_version", "TEXT"],
  ["root_git_head", "TEXT"],
  ["hostname", "TEXT"],
  ["platform", "TEXT"],
  ["arch", "TEXT"],
  ["concurrency", "INTEGER"],
  ["retries", "INTEGER"],
  ["budget_aiu", "REAL"],
  ["isolate_home", "INTEGER"],
  ["shard", "TEXT"],
  ["dry_run", "INTEGER"],
  ["n_planned", "INTEGER"],
  ["n_trials", "INTEGER NOT NULL"],
  ["n_ok", "INTEGER NOT NULL"],
  ["n_copilot_failed", "INTEGER NOT NULL"],
  ["n_timeout", "INTEGER NOT NULL"],
  ["n_harness_error", "INTEGER NOT NULL"],
  ["n_interrupted", "INTEGER NOT NULL"],
  ["n_skipped", "INTEGER NOT NULL"],
  ["n_ran", "INTEGER NOT NULL"],
  ["n_graded", "INTEGER NOT NULL"],
  ["n_success", "INTEGER NOT NULL"],
  ["success_rate", "REAL"],
  ["success_ci_low", "REAL"],
  ["success_ci_high", "REAL"],
  ["total_aiu", "REAL"],
  ["n_aiu_known", "INTEGER NOT NULL"],
  ["total_tokens", "REAL"],
  ["dir", "TEXT NOT NULL"],
] as const;

/** Per-group aggregates shared by `variants` and `tasks`. */
const GROUP_COLUMNS = [
  ["n_trials", "INTEGER NOT NULL"],
  ["n_ran", "INTEGER NOT NULL"],
  ["n_graded", "INTEGER NOT NULL"],
  ["n_success", "INTEGER NOT NULL"],
  ["n_failed_trials", "INTEGER NOT NULL"],
  ["success_rate", "REAL"],
  ["success_ci_low", "REAL"],
  ["success_ci_high", "REAL"],
  ["avg_aiu", "REAL"],
  ["total_aiu", "REAL"],
  ["avg_total_tokens", "REAL"],
  ["avg_duration_s", "REAL"],
] as const;

export const VARIANT_COLUMNS = [
  ["position", "INTEGER NOT NULL"],
  ["name", "TEXT NOT NULL"],
  ["model", "TEXT"],
  ["reasoning_effort", "TEXT"],
  ["planned_trials", "INTEGER"],
  ["context", "TEXT"],
  ...GROUP_COLUMNS,
] as const;

export const TASK_COLUMNS = [
  ["position", "INTEGER NOT NULL"],
  ["name", "TEXT NOT NULL"],
  ["graded", "INTEGER NOT NULL"],
  ["prompt", "TEXT"],
  ["verify", "TEXT"],
  ...GROUP_COLUMNS,
] as const;

const table = (name: string, key: string[], columns: readonly (readonly [string, string])[]) =>
  `CREATE TABLE ${name} (\n  ${[
    ...key.map((k) => `${k} ${k === "trial" ? "INTEGER" : "TEXT"} NOT NULL`),
    ...columns.map(([n, t]) => `${n} ${t}`),
    `PRIMARY KEY (${key.join(", ")})`,
  ].join(",\n  ")}\n)`;

export const DDL: readonly string[] = [
  EXPERIMENTS,
  table("runs", ["experiment", "run_id"], RUN_COLUMNS),
  table("variants", ["experiment", "run_id", "variant"], VARIANT_COLUMNS),
  table("tasks", ["experiment", "run_id", "task"], TASK_COLUMNS),
  table(
    "trials",
    [...TRIAL_KEY],
    TRIAL_COLUMNS.filter((c) => !(TRIAL_KEY as readonly string[]).includes(c.name)).map(
      (c) => [c.name, c.type] as const,
    ),
  ),
  "CREATE INDEX runs_by_start ON runs (started_at, run_id)",
];

/** FNV-1a of the DDL, as a positive 31-bit integer (PRAGMA user_version is a signed 32-bit int). */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1 || 1;
}

/** Bump the leading number for changes the DDL does not show (how a value is computed). */
const SEMANTIC_VERSION = 1;

export const INDEX_SCHEMA_VERSION = hashText(`${SEMANTIC_VERSION}\n${DDL.join(";\n")}`);
