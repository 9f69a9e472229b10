import { z } from "zod";
import type { TrialRecord } from "../store/reader.ts";
import { TrialMetricsSchema } from "../store/session-schema.ts";

/**
 * The columns of one trial row, in a fixed order: the trial's identity and outcome from
 * meta.json, then every flat metric of metrics.json as its own column (in the order of
 * `TrialMetricsSchema`). Shared by the `trials` table and `export`, so both stay in step when a
 * metric is added.
 */

export type SqlType = "TEXT" | "INTEGER" | "REAL";
/** A value as read from the artifacts: JSON-compatible. */
export type CellValue = string | number | boolean | null | readonly unknown[] | Record<string, unknown>;

export interface TrialColumn {
  name: string;
  type: SqlType;
  /** Arrays and objects are stored as JSON text. */
  json?: boolean;
  /** Booleans are stored as 0/1. */
  bool?: boolean;
  get(trial: TrialRecord): CellValue;
}

const META_COLUMNS: TrialColumn[] = [
  { name: "experiment", type: "TEXT", get: (t) => t.meta.experiment },
  { name: "run_id", type: "TEXT", get: (t) => t.meta.run_id },
  { name: "variant", type: "TEXT", get: (t) => t.meta.variant },
  { name: "task", type: "TEXT", get: (t) => t.meta.task },
  { name: "trial", type: "INTEGER", get: (t) => t.meta.trial },
  { name: "status", type: "TEXT", get: (t) => t.meta.status },
  { name: "success", type: "INTEGER", bool: true, get: (t) => t.meta.success },
  { name: "flaky_verify", type: "INTEGER", bool: true, get: (t) => t.meta.flaky_verify },
  { name: "error", type: "TEXT", get: (t) => t.meta.error },
  { name: "error_artifact", type: "TEXT", get: (t) => t.meta.error_artifact },
  { name: "session_id", type: "TEXT", get: (t) => t.meta.session_id },
  { name: "started_at", type: "TEXT", get: (t) => t.meta.started_at },
  { name: "finished_at", type: "TEXT", get: (t) => t.meta.finished_at },
  { name: "duration_s", type: "REAL", get: (t) => t.meta.duration_s },
  { name: "copilot_duration_s", type: "REAL", get: (t) => t.meta.copilot_duration_s },
  { name: "copilot_exit_code", type: "INTEGER", get: (t) => t.meta.copilot_exit_code },
  { name: "copilot_signal", type: "TEXT", get: (t) => t.meta.copilot_signal },
  { name: "timed_out", type: "INTEGER", bool: true, get: (t) => t.meta.timed_out },
  { name: "baseline_commit", type: "TEXT", get: (t) => t.meta.baseline_commit },
  { name: "n_attempts", type: "INTEGER", get: (t) => t.meta.attempts.length },
];

/** Metric keys that would repeat a meta column: dropped, or renamed with a `session_` prefix. */
const SKIPPED_METRICS = new Set(["format_version", "session_id"]);

/** A property of metrics.json's JSON Schema (docs/schemas/metrics.schema.json). */
interface PropertySchema {
  type?: string | string[];
  anyOf?: PropertySchema[];
  properties?: Record<string, PropertySchema>;
}

/** The schema of a property without its `null` alternative. */
function nonNull(schema: PropertySchema): PropertySchema {
  const options = schema.anyOf?.filter((o) => o.type !== "null");
  if (options?.length === 1) return nonNull(options[0]!);
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== "null");
    return { ...schema, type: types.length === 1 ? types[0] : types };
  }
  return schema;
}

function metricValue(trial: TrialRecord, key: string): unknown {
  return trial.metrics ? trial.metrics[key] : null;
}

function asCell(value: unknown): CellValue {
  return value === undefined ? null : (value as CellValue);
}

/** One column per flat metric, typed from metrics.json's published JSON Schema. */
function metricColumns(): TrialColumn[] {
  const taken = new Set(META_COLUMNS.map((c) => c.name));
  const columns: TrialColumn[] = [];
  const json = z.toJSONSchema(TrialMetricsSchema, { io: "input" }) as {
    properties: Record<string, PropertySchema>;
  };
  for (const [key, property] of Object.entries(json.properties)) {
    if (SKIPPED_METRICS.has(key)) continue;
    const name = taken.has(key) ? `session_${key}` : key;
    const schema = nonNull(property);
    const get = (t: TrialRecord) => asCell(metricValue(t, key));
    if (schema.type === "object" && schema.properties) {
      // A small fixed object (aiu_by_type): one column per field.
      for (const sub of Object.keys(schema.properties)) {
        columns.push({
          name: `${name}_${sub}`,
          type: "REAL",
          get: (t) => asCell((metricValue(t, key) as Record<string, unknown> | null | undefined)?.[sub]),
        });
      }
    } else if (schema.type === "array" || schema.type === "object") {
      columns.push({ name, type: "TEXT", json: true, get });
    } else if (schema.type === "integer") {
      columns.push({ name, type: "INTEGER", get });
    } else if (schema.type === "number") {
      columns.push({ name, type: "REAL", get });
    } else if (schema.type === "boolean") {
      columns.push({ name, type: "INTEGER", bool: true, get });
    } else {
      columns.push({ name, type: "TEXT", get });
    }
    taken.add(name);
  }
  return columns;
}

/** Every column of a trial row, in their stable order. */
export const TRIAL_COLUMNS: readonly TrialColumn[] = [...META_COLUMNS, ...metricColumns()];

/** The primary key of a trial row. */
export const TRIAL_KEY = ["experiment", "run_id", "variant", "task", "trial"] as const;

/** A cell as SQLite stores it: booleans as 0/1, arrays and objects as JSON text. */
export function toSqlValue(column: TrialColumn, value: CellValue): string | number | null {
  if (value === null) return null;
  if (column.bool || typeof value === "boolean") return value ? 1 : 0;
  if (column.json || typeof value === "object") return JSON.stringify(value);
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value as string | number;
}

/** The trial as native values, keyed by column name in column order (export --format jsonl). */
export function trialValues(trial: TrialRecord): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const column of TRIAL_COLUMNS) out[column.name] = column.get(trial);
  return out;
}

type Sql = string | number | null;

/** One specialised getter per column: building 10,000 rows is part of every `reindex`. */
function sqlGetter(column: TrialColumn): (trial: TrialRecord) => Sql {
  const { get } = column;
  if (column.bool) {
    return (t) => {
      const v = get(t);
      return v === null ? null : v ? 1 : 0;
    };
  }
  if (column.json) {
    return (t) => {
      const v = get(t);
      return v === null ? null : JSON.stringify(v);
    };
  }
  return (t) => {
    const v = get(t);
    if (typeof v === "number") return Number.isFinite(v) ? v : null;
    return typeof v === "string" || v === null ? v : toSqlValue(column, v);
  };
}

const SQL_GETTERS = TRIAL_COLUMNS.map(sqlGetter);

/** The trial as SQL parameters, in column order. */
export function trialSqlRow(trial: TrialRecord): Sql[] {
  const row = new Array<Sql>(SQL_GETTERS.length);
  for (let i = 0; i < SQL_GETTERS.length; i++) row[i] = SQL_GETTERS[i]!(trial);
  return row;
}
