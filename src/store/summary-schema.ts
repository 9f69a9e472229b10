import { z } from "zod";
import { FormatVersionSchema, SlugSchema, TRIAL_STATUSES } from "./schema.ts";

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
  overall: GroupSummarySchema,
  variants: z.array(VariantSummarySchema),
  /** Per task across all variants. */
  tasks: z.array(TaskSummarySchema),
});

export type GroupSummary = z.infer<typeof GroupSummarySchema>;
export type TaskSummary = z.infer<typeof TaskSummarySchema>;
export type VariantSummary = z.infer<typeof VariantSummarySchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
