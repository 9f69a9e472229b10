import { z } from "zod";
import { FormatVersionSchema, SlugSchema, TRIAL_STATUSES, VersionsRanSchema } from "./schema.ts";

/**
 * summary.json: the figures of a run, of each variant (and each task within it), and of each
 * task across variants. How they are computed is in src/summary/ and the README (Summaries).
 */

const rate = z.number().min(0).max(1).nullable();
const figure = z.number().nullable();
const count = z.number().int().nonnegative();

export const StatusCountsSchema = z.object(
  Object.fromEntries(TRIAL_STATUSES.map((s) => [s, count])) as Record<
    (typeof TRIAL_STATUSES)[number],
    typeof count
  >,
);

/**
 * The success rate's interval that accounts for clustering by task (docs/statistics.md,
 * "Summaries"): `clusterWilsonInterval` over the group's graded trials per task.
 */
export const ClusteredIntervalSchema = z.object({
  rate: z.number().min(0).max(1),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
  level: z.number().gt(0).lt(1),
  /** Tasks with at least one graded trial (the clusters). */
  n_tasks: count,
  n_trials: count,
  /** Cluster-robust variance over the binomial one, at least 1. */
  design_effect: z.number().min(1),
  /** n_trials / design_effect. */
  n_effective: z.number().nonnegative(),
  method: z.literal("cluster_wilson"),
});

export const GroupSummarySchema = z.object({
  n_trials: count,
  /** Trials that ran (ok, timeout): success rates and averages are over these. */
  n_ran: count,
  n_graded: count,
  n_success: count,
  /** Infrastructure failures: copilot_failed + harness_error. */
  n_failed_trials: count,
  status_counts: StatusCountsSchema,
  success_rate: rate,
  /** Wilson 95% interval of the success rate. */
  success_ci_low: rate,
  success_ci_high: rate,
  /**
   * 95% interval clustered by task, beside the pooled Wilson one: null unless the group's graded
   * trials span at least two tasks (a task, or one variant on one task, never has one).
   */
  success_ci_clustered: ClusteredIntervalSchema.nullable().default(null),
  /** Unbiased pass@k averaged over tasks, for k up to the fewest graded trials of a task. */
  pass_at_k: z.record(z.string(), z.number()),
  mean_resolved_rate: rate,
  resolved_at_k_rate: rate,
  n_flaky_verify: count,
  avg_duration_s: figure,
  avg_turns: figure,
  avg_tool_calls: figure,
  avg_tool_failures: figure,
  avg_total_tokens: figure,
  sd_total_tokens: figure,
  cv_total_tokens: figure,
  total_tokens: figure,
  avg_output_tokens: figure,
  avg_cache_read_tokens: figure,
  total_cache_read_tokens: figure,
  avg_reasoning_tokens: figure,
  avg_aiu: figure,
  sd_aiu: figure,
  cv_aiu: figure,
  total_aiu: figure,
  aiu_per_solve: figure,
  /** Trials whose cost is known (BYOK sessions report none). */
  n_aiu_known: count,
  avg_api_duration_ms: figure,
  avg_diff_files: figure,
  avg_diff_lines_added: figure,
  avg_diff_lines_removed: figure,
  avg_files_modified: figure,
  avg_lines_added: figure,
  avg_lines_removed: figure,
});

export const TaskSummarySchema = z.object({
  task: SlugSchema,
  name: z.string(),
  ...GroupSummarySchema.shape,
});

export const VariantSummarySchema = z.object({
  variant: SlugSchema,
  name: z.string(),
  ...GroupSummarySchema.shape,
  tasks: z.array(TaskSummarySchema),
});

export const RunSummarySchema = z.object({
  format_version: FormatVersionSchema,
  run_id: SlugSchema,
  experiment: SlugSchema,
  experiment_name: z.string(),
  status: z.string(),
  generated_at: z.string(),
  /** The Copilot CLI versions the trials ran (their session logs) against preflight's; null in older files. */
  copilot_versions_ran: VersionsRanSchema.nullable().default(null),
  overall: GroupSummarySchema,
  variants: z.array(VariantSummarySchema),
  /** Per task across all variants. */
  tasks: z.array(TaskSummarySchema),
});

export type ClusteredInterval = z.infer<typeof ClusteredIntervalSchema>;
export type GroupSummary = z.infer<typeof GroupSummarySchema>;
export type TaskSummary = z.infer<typeof TaskSummarySchema>;
export type VariantSummary = z.infer<typeof VariantSummarySchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
