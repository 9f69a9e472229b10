import type { TrialRecord } from "../results/read-run.ts";
import { INFRA_STATUSES, RAN_STATUSES, TRIAL_STATUSES, type TrialStatus } from "../results/schema.ts";
import { round, wilsonInterval } from "../results/stats.ts";

/**
 * The aggregates the index keeps per run, variant and task: the same definitions and the same
 * arithmetic (summation order, rounding) as `summarizeGroup` in src/results/summary.ts, in one
 * pass over the trials instead of one per figure. A unit test holds the two together.
 */

export interface Aggregate {
  n_trials: number;
  n_ran: number;
  n_graded: number;
  n_success: number;
  n_failed_trials: number;
  status_counts: Record<TrialStatus, number>;
  success_rate: number | null;
  success_ci_low: number | null;
  success_ci_high: number | null;
  avg_aiu: number | null;
  total_aiu: number | null;
  n_aiu_known: number;
  avg_total_tokens: number | null;
  total_tokens: number | null;
  avg_duration_s: number | null;
}

const r4 = (v: number | null) => (v === null ? null : round(v, 4));
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const RAN = new Set<string>(RAN_STATUSES);
const INFRA = new Set<string>(INFRA_STATUSES);

export function aggregate(trials: readonly TrialRecord[]): Aggregate {
  const status_counts = Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;
  let ran = 0;
  let graded = 0;
  let success = 0;
  let infra = 0;
  let aiuRan = 0;
  let nAiuRan = 0;
  let aiuAll = 0;
  let nAiuAll = 0;
  let tokensRan = 0;
  let nTokensRan = 0;
  let tokensAll = 0;
  let nTokensAll = 0;
  let duration = 0;
  for (const t of trials) {
    const { status } = t.meta;
    status_counts[status] += 1;
    if (INFRA.has(status)) infra += 1;
    const isRan = RAN.has(status);
    const aiu = t.metrics?.aiu;
    const tokens = t.metrics?.total_tokens;
    if (finite(aiu)) {
      aiuAll += aiu;
      nAiuAll += 1;
    }
    if (finite(tokens)) {
      tokensAll += tokens;
      nTokensAll += 1;
    }
    if (!isRan) continue;
    ran += 1;
    duration += t.meta.duration_s;
    if (t.meta.success !== null) {
      graded += 1;
      if (t.meta.success) success += 1;
    }
    if (finite(aiu)) {
      aiuRan += aiu;
      nAiuRan += 1;
    }
    if (finite(tokens)) {
      tokensRan += tokens;
      nTokensRan += 1;
    }
  }
  const ci = wilsonInterval(success, graded);
  return {
    n_trials: trials.length,
    n_ran: ran,
    n_graded: graded,
    n_success: success,
    n_failed_trials: infra,
    status_counts,
    success_rate: graded ? r4(success / graded) : null,
    success_ci_low: ci ? r4(ci.low) : null,
    success_ci_high: ci ? r4(ci.high) : null,
    avg_aiu: nAiuRan ? r4(aiuRan / nAiuRan) : null,
    total_aiu: nAiuAll ? r4(aiuAll) : null,
    n_aiu_known: nAiuAll,
    avg_total_tokens: nTokensRan ? r4(tokensRan / nTokensRan) : null,
    total_tokens: nTokensAll ? r4(tokensAll) : null,
    avg_duration_s: ran ? r4(duration / ran) : null,
  };
}

/** Trials grouped by a key, each group in the order of `trials`. */
export function groupBy(
  trials: readonly TrialRecord[],
  key: (t: TrialRecord) => string,
): Map<string, TrialRecord[]> {
  const groups = new Map<string, TrialRecord[]>();
  for (const t of trials) {
    const k = key(t);
    const group = groups.get(k);
    if (group) group.push(t);
    else groups.set(k, [t]);
  }
  return groups;
}
