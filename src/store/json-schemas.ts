import { z } from "zod";
import { TOOL_NAME } from "../version.ts";
import { ARTIFACT_SCHEMA_NAMES, type ArtifactSchemaName } from "./artifact-names.ts";
import {
  FORMAT_VERSION,
  RunRecordSchema,
  TaskFileSchema,
  TrialMetaSchema,
  VariantFileSchema,
  VerifyResultSchema,
} from "./schema.ts";
import { SessionAnalysisSchema, TrialMetricsSchema } from "./session-schema.ts";
import { RunSummarySchema } from "./summary-schema.ts";
import { ATIF_VERSION, TrajectorySchema } from "./trajectory-schema.ts";

/**
 * The JSON Schemas (draft 2020-12) of the results tree's JSON artifacts, generated from their
 * zod schemas: published in docs/schemas/<artifact>.schema.json and printed by
 * `schema --artifact NAME`, for those who load results into their own tools. What a change of
 * `format_version` means is in docs/results-format.md.
 */

export const ARTIFACT_SCHEMAS = {
  run: {
    schema: RunRecordSchema,
    file: "run.json",
    about: "One run: what ran, where, with which options, and how it ended.",
  },
  variant: {
    schema: VariantFileSchema,
    file: "variant.json",
    about: "One variant as it was defined (secrets masked), and what it adds to the agent's context.",
  },
  task: { schema: TaskFileSchema, file: "task.json", about: "One task as it was defined (secrets masked)." },
  meta: {
    schema: TrialMetaSchema,
    file: "meta.json",
    about: "One trial's outcome: written last; a trial folder without it never finished.",
  },
  metrics: {
    schema: TrialMetricsSchema,
    file: "metrics.json",
    about: "One trial's flat metrics: the session's counts and economics, and the git diff numbers.",
  },
  analysis: {
    schema: SessionAnalysisSchema,
    file: "analysis.json",
    about: "The analysis of one Copilot session (also `analyze --json`).",
  },
  trajectory: {
    schema: TrajectorySchema,
    file: "trajectory.json",
    about: `One trial's session in ${ATIF_VERSION}, Harbor's Agent Trajectory Interchange Format (RFC 0001): steps, tool calls and their results, token metrics.`,
  },
  verify: {
    schema: VerifyResultSchema,
    file: "verify.json",
    about: "The outcome of a trial's verify command (every repeat).",
  },
  summary: {
    schema: RunSummarySchema,
    file: "summary.json",
    about: "The figures of a run, of each variant and task, and of each variant on each task.",
  },
} as const satisfies Record<ArtifactSchemaName, { schema: z.ZodType; file: string; about: string }>;

export { ARTIFACT_SCHEMA_NAMES, type ArtifactSchemaName };

/** The JSON Schema of one artifact: what a reader of this version accepts. */
export function artifactJsonSchema(name: ArtifactSchemaName): Record<string, unknown> {
  const { schema, file, about } = ARTIFACT_SCHEMAS[name];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  return {
    $schema,
    title:
      name === "trajectory"
        ? `${TOOL_NAME} ${file} (${ATIF_VERSION})`
        : `${TOOL_NAME} ${file} (format ${FORMAT_VERSION})`,
    description: about,
    ...rest,
  };
}
