/**
 * Power of the regression gate: the chance that `compare --fail-on-regression` flags B when B's
 * success rate is `drop` below A's on every task (clamped at 0). Computed by simulating the gate
 * itself (binomial trials per task and side, then the stratified test), seeded, with its Monte
 * Carlo standard error. A normal approximation to the continuity-corrected CMH test (Nam 1992)
 * only brackets the searches; the figures reported are simulated (docs/statistics.md).
 */
import { normalCdf, normalQuantile } from "./distributions.ts";
import { createRng } from "./rng.ts";
import { type Stratum, stratifiedPWorse } from "./stratified.ts";

/** Trials per task for each side, and A's success rate per task. */
export interface PowerDesign {
  aTrials: readonly number[];
  bTrials: readonly number[];
  aRates: readonly number[];
}

export interface PowerOptions {
  alpha?: number;
  /** Simulated experiments per power figure (default 4000). */
  sims?: number;
  seed?: number;
  /**
   * Work per simulated test allowed to the exact test before CMH decides (default 2e5, far
   * below the gate's own budget: the two agree closely on designs that large).
   */
  budget?: number;
}

export interface SimulatedPower {
  power: number;
  /** Monte Carlo standard error √(power·(1 − power) / sims). */
  se: number;
  sims: number;
}

const SIM_BUDGET = 2e5;

function checkDesign(d: PowerDesign): void {
  if (d.aTrials.length !== d.bTrials.length || d.aTrials.length !== d.aRates.length) {
    throw new RangeError("aTrials, bTrials and aRates need one entry per task");
  }
  for (const r of d.aRates)
    if (!(r >= 0 && r <= 1)) throw new RangeError(`rates must be in [0, 1], got ${r}`);
}

const bRate = (a: number, drop: number) => Math.max(0, a - drop);

/**
 * Normal approximation to the power of the one-sided continuity-corrected CMH test: the
 * numerator Σ w(p̂A − p̂B) has mean Σ w·(pA − pB) and variance Σ w²·(pAqA/nA + pBqB/nB) under
 * the alternative; the null variance is its expectation over the margins.
 */
export function analyticPower(design: PowerDesign, drop: number, alpha = 0.05): number {
  checkDesign(design);
  let mu = 0;
  let varAlt = 0;
  let varNull = 0;
  design.aRates.forEach((pA, k) => {
    const nA = design.aTrials[k]!;
    const nB = design.bTrials[k]!;
    if (nA === 0 || nB === 0) return;
    const pB = bRate(pA, drop);
    const n = nA + nB;
    const w = (nA * nB) / n;
    mu += w * (pA - pB);
    varAlt += w * w * ((pA * (1 - pA)) / nA + (pB * (1 - pB)) / nB);
    const meanM = nA * pA + nB * pB;
    const varM = nA * pA * (1 - pA) + nB * pB * (1 - pB);
    const meanMM = n * meanM - (varM + meanM * meanM); // E[m(N − m)]
    if (n > 1) varNull += (nA * nB * meanMM) / (n * n * (n - 1));
  });
  if (varAlt === 0) return mu - 0.5 >= normalQuantile(1 - alpha) * Math.sqrt(varNull) ? 1 : 0;
  return normalCdf((mu - 0.5 - normalQuantile(1 - alpha) * Math.sqrt(varNull)) / Math.sqrt(varAlt));
}

/**
 * Simulated power of the gate. Every call with the same seed draws the same uniforms (one per
 * trial, a pass when below the rate), so power is compared across drops on common random
 * numbers and rises with the drop.
 */
export function simulatePower(design: PowerDesign, drop: number, opts: PowerOptions = {}): SimulatedPower {
  checkDesign(design);
  const { alpha = 0.05, sims = 4000, seed = 42, budget = SIM_BUDGET } = opts;
  if (!Number.isInteger(sims) || sims < 1) throw new RangeError(`sims must be ≥ 1, got ${sims}`);
  const random = createRng(seed);
  const tasks = design.aRates.length;
  const strata: Stratum[] = design.aRates.map((_, k) => ({
    aSuccess: 0,
    aTrials: design.aTrials[k]!,
    bSuccess: 0,
    bTrials: design.bTrials[k]!,
  }));
  let rejected = 0;
  for (let s = 0; s < sims; s++) {
    for (let k = 0; k < tasks; k++) {
      const stratum = strata[k]!;
      const pA = design.aRates[k]!;
      const pB = bRate(pA, drop);
      let xA = 0;
      for (let i = 0; i < stratum.aTrials; i++) if (random() < pA) xA++;
      let xB = 0;
      for (let i = 0; i < stratum.bTrials; i++) if (random() < pB) xB++;
      stratum.aSuccess = xA;
      stratum.bSuccess = xB;
    }
    if (stratifiedPWorse(strata, budget) <= alpha) rejected++;
  }
  const power = rejected / sims;
  return { power, se: Math.sqrt((power * (1 - power)) / sims), sims };
}

export interface DetectableDrop {
  /** Smallest drop (to 1/128) with power ≥ the target; null when none reaches it. */
  drop: number | null;
  power: number | null;
  target: number;
  /** Simulated on the gate for small designs; the normal approximation for large ones. */
  method: "simulated" | "normal_approximation";
}

/** Designs with more trials than this get the normal approximation (it is close there, and fast). */
export const SIMULATE_UP_TO_TRIALS = 400;

/**
 * The minimum detectable drop at `target` power for this design, by bisection on the drop.
 * Small designs (at most `SIMULATE_UP_TO_TRIALS` trials) are simulated (500 experiments per
 * step by default, common random numbers across steps); larger ones use `analyticPower`.
 */
export function minimumDetectableDrop(
  design: PowerDesign,
  target = 0.8,
  opts: PowerOptions = {},
): DetectableDrop {
  const total = [...design.aTrials, ...design.bTrials].reduce((n, k) => n + k, 0);
  const method = total <= SIMULATE_UP_TO_TRIALS ? ("simulated" as const) : ("normal_approximation" as const);
  const o = { sims: 500, ...opts };
  const powerAt = (drop: number) =>
    method === "simulated" ? simulatePower(design, drop, o).power : analyticPower(design, drop, o.alpha);
  const top = Math.max(0, ...design.aRates);
  if (top === 0) return { drop: null, power: null, target, method };
  let hiPower = powerAt(top);
  if (hiPower < target) return { drop: null, power: null, target, method };
  let lo = 0;
  let hi = top;
  while (hi - lo > 1 / 128) {
    const mid = (lo + hi) / 2;
    const p = powerAt(mid);
    if (p >= target) {
      hi = mid;
      hiPower = p;
    } else lo = mid;
  }
  return { drop: hi, power: hiPower, target, method };
}

export interface TrialsPlan extends SimulatedPower {
  trials_per_task: number;
  analytic_power: number;
}

const equalDesign = (rates: readonly number[], n: number): PowerDesign => ({
  aRates: rates,
  aTrials: rates.map(() => n),
  bTrials: rates.map(() => n),
});

/**
 * The fewest trials per task and side (the same n for A and B on every task) whose simulated
 * power to flag a `drop` reaches `target`. The analytic approximation finds a start; simulation
 * then steps n down or up. Null when `maxTrials` is not enough.
 */
export function trialsForPower(
  rates: readonly number[],
  drop: number,
  target = 0.8,
  opts: PowerOptions & { maxTrials?: number } = {},
): TrialsPlan | null {
  const { maxTrials = 2000, ...sim } = opts;
  if (!(drop > 0 && drop <= 1)) throw new RangeError(`drop must be in (0, 1], got ${drop}`);
  if (!(target > 0 && target < 1)) throw new RangeError(`power must be in (0, 1), got ${target}`);
  const analytic = (n: number) => analyticPower(equalDesign(rates, n), drop, sim.alpha);
  let n = 1;
  while (n < maxTrials && analytic(n) < target) n = Math.min(maxTrials, n * 2);
  let lo = Math.max(1, Math.floor(n / 2));
  while (lo < n) {
    const mid = Math.floor((lo + n) / 2);
    if (analytic(mid) >= target) n = mid;
    else lo = mid + 1;
  }
  const at = (k: number) => simulatePower(equalDesign(rates, k), drop, sim);
  let result = at(n);
  if (result.power >= target) {
    while (n > 1) {
      const lower = at(n - 1);
      if (lower.power < target) break;
      n -= 1;
      result = lower;
    }
  } else {
    while (result.power < target) {
      if (n >= maxTrials) return null;
      n += 1;
      result = at(n);
    }
  }
  return { trials_per_task: n, ...result, analytic_power: analytic(n) };
}
