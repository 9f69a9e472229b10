import type { SessionAnalysis } from "../store/session-schema.ts";
import type { Step } from "../store/trajectory-schema.ts";
import type { PendingStep } from "./_trajectory-agent.ts";
import { stepMetricsOf } from "./_trajectory-metrics.ts";

/** The RFC's field order, for a file people read. */
const STEP_FIELDS: (keyof Step)[] = [
  "step_id",
  "timestamp",
  "source",
  "model_name",
  "reasoning_effort",
  "message",
  "reasoning_content",
  "tool_calls",
  "observation",
  "metrics",
  "llm_call_count",
  "extra",
];

function inOrder(step: Step): Step {
  const out: Record<string, unknown> = {};
  for (const key of STEP_FIELDS) if (step[key] !== undefined) out[key] = step[key];
  return out as Step;
}

/** Step ids from 1, and each agent step's figures from the analysis. */
export function numbered(pending: readonly PendingStep[], analysis: SessionAnalysis | null): Step[] {
  return pending.map((p, i) => {
    const step: Step = { step_id: i + 1, ...p.step };
    if (p.turn !== undefined && analysis) {
      const { metrics, calls, turn } = stepMetricsOf(analysis, p.turn, p.usage);
      if (metrics) step.metrics = metrics;
      if (calls !== undefined) step.llm_call_count = calls;
      if (turn) step.extra = { ...turn, ...step.extra };
    }
    return inOrder(step);
  });
}
