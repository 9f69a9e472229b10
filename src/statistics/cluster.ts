/**
 * A success-rate interval that accounts for clustering by task. Trials of one task share its
 * difficulty, so the pooled Wilson interval (which treats every trial as independent) is too
 * narrow when tasks differ. The pooled rate p = Σx / Σn is a ratio estimator; its cluster-robust
 * (linearisation) variance is T/(T − 1)·Σ(x_k − p·n_k)² / (Σn)². That variance sets a design
 * effect and an effective number of trials, and the interval is Wilson's on that effective
 * sample with Student's t on T − 1 degrees of freedom in place of z (Korn & Graubard 1998).
 * The design effect is floored at 1, so the interval is never narrower than the pooled one.
 */
import { tQuantile } from "./distributions.ts";

/** One task's successes out of its graded trials. */
export interface TaskCount {
  successes: number;
  n: number;
}

export interface ClusterInterval {
  rate: number;
  low: number;
  high: number;
  level: number;
  /** Tasks with at least one graded trial (the clusters). */
  n_tasks: number;
  n_trials: number;
  /** Cluster-robust variance over the binomial one, at least 1 (1 when p is 0 or 1). */
  design_effect: number;
  /** n_trials / design_effect. */
  n_effective: number;
  method: "cluster_wilson";
}

/** Null with fewer than two tasks that have graded trials: one cluster carries no spread. */
export function clusterWilsonInterval(tasks: readonly TaskCount[], level = 0.95): ClusterInterval | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  for (const t of tasks) {
    if (
      !Number.isInteger(t.n) ||
      t.n < 0 ||
      !Number.isInteger(t.successes) ||
      t.successes < 0 ||
      t.successes > t.n
    ) {
      throw new RangeError(`task counts must be 0 ≤ successes ≤ n, got ${t.successes}/${t.n}`);
    }
  }
  const used = tasks.filter((t) => t.n > 0);
  const k = used.length;
  if (k < 2) return null;
  const n = used.reduce((sum, t) => sum + t.n, 0);
  const x = used.reduce((sum, t) => sum + t.successes, 0);
  const p = x / n;
  let squares = 0;
  for (const t of used) squares += (t.successes - p * t.n) ** 2;
  const clusterVariance = ((k / (k - 1)) * squares) / (n * n);
  const binomialVariance = (p * (1 - p)) / n;
  const designEffect = binomialVariance > 0 ? Math.max(1, clusterVariance / binomialVariance) : 1;
  const nEff = n / designEffect;
  const t = tQuantile(1 - (1 - level) / 2, k - 1);
  const t2 = t * t;
  const denominator = 1 + t2 / nEff;
  const centre = (p + t2 / (2 * nEff)) / denominator;
  const half = (t / denominator) * Math.sqrt((p * (1 - p)) / nEff + t2 / (4 * nEff * nEff));
  return {
    rate: p,
    low: x === 0 ? 0 : Math.max(0, centre - half),
    high: x === n ? 1 : Math.min(1, centre + half),
    level,
    n_tasks: k,
    n_trials: n,
    design_effect: designEffect,
    n_effective: nEff,
    method: "cluster_wilson",
  };
}
