import { z } from "zod";

/**
 * `trajectory.json`: one trial's session in ATIF-v1.7, Harbor's Agent Trajectory Interchange
 * Format (its RFC 0001), so other tools can read what the agent did. Only the parts of the
 * format this tool writes are spelled here, each object closed as the RFC's reference models
 * are; what ATIF has no field for sits in the `extra` objects the RFC provides (docs/adr/0015).
 * No `format_version` at the top: ATIF's root admits no unknown field, so ours is in `extra`.
 */

export const ATIF_VERSION = "ATIF-v1.7";

const tokenCount = z.number().int().nonnegative();
const Extra = z.record(z.string(), z.unknown());

export const ToolCallSchema = z.strictObject({
  tool_call_id: z.string(),
  function_name: z.string(),
  /** A JSON object; a tool that takes free text (`apply_patch`) gets `{ input: "…" }`. */
  arguments: z.record(z.string(), z.unknown()),
  extra: Extra.optional(),
});

export const SubagentRefSchema = z.strictObject({
  /** The `trajectory_id` of an entry of the root's `subagent_trajectories`. */
  trajectory_id: z.string().optional(),
  session_id: z.string().optional(),
  trajectory_path: z.string().optional(),
  extra: Extra.optional(),
});

export const ObservationResultSchema = z.strictObject({
  source_call_id: z.string().nullable().optional(),
  content: z.string().nullable().optional(),
  subagent_trajectory_ref: z.array(SubagentRefSchema).optional(),
  extra: Extra.optional(),
});

export const MetricsSchema = z.strictObject({
  /** Every input token of the request, cached ones included. */
  prompt_tokens: tokenCount.optional(),
  completion_tokens: tokenCount.optional(),
  /** The part of `prompt_tokens` read from the cache. */
  cached_tokens: tokenCount.optional(),
  cost_usd: z.number().optional(),
  extra: Extra.optional(),
});

export const StepSchema = z.strictObject({
  step_id: z.number().int().min(1),
  timestamp: z.string().optional(),
  source: z.enum(["system", "user", "agent"]),
  model_name: z.string().optional(),
  reasoning_effort: z.union([z.string(), z.number()]).optional(),
  message: z.string(),
  reasoning_content: z.string().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  observation: z.strictObject({ results: z.array(ObservationResultSchema) }).optional(),
  metrics: MetricsSchema.optional(),
  llm_call_count: z.number().int().nonnegative().optional(),
  extra: Extra.optional(),
});

export const AgentSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  model_name: z.string().optional(),
  extra: Extra.optional(),
});

export const FinalMetricsSchema = z.strictObject({
  total_prompt_tokens: tokenCount.optional(),
  total_completion_tokens: tokenCount.optional(),
  total_cached_tokens: tokenCount.optional(),
  total_cost_usd: z.number().optional(),
  total_steps: tokenCount.optional(),
  extra: Extra.optional(),
});

export interface Trajectory {
  schema_version: typeof ATIF_VERSION;
  session_id?: string;
  trajectory_id?: string;
  agent: z.infer<typeof AgentSchema>;
  steps: z.infer<typeof StepSchema>[];
  notes?: string;
  final_metrics?: z.infer<typeof FinalMetricsSchema>;
  subagent_trajectories?: Trajectory[];
  extra?: Record<string, unknown>;
}

export const TrajectorySchema: z.ZodType<Trajectory> = z.strictObject({
  schema_version: z.literal(ATIF_VERSION),
  session_id: z.string().optional(),
  trajectory_id: z.string().optional(),
  agent: AgentSchema,
  steps: z.array(StepSchema),
  notes: z.string().optional(),
  final_metrics: FinalMetricsSchema.optional(),
  get subagent_trajectories() {
    return z.array(TrajectorySchema).optional();
  },
  extra: Extra.optional(),
});

export type Step = z.infer<typeof StepSchema>;
export type ToolCall = z.infer<typeof ToolCallSchema>;
export type ObservationResult = z.infer<typeof ObservationResultSchema>;
export type StepMetrics = z.infer<typeof MetricsSchema>;
export type FinalMetrics = z.infer<typeof FinalMetricsSchema>;
