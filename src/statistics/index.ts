/** Pure statistics for summaries, `compare` and `plan` (docs/statistics.md): no I/O, seeded. */
export {
  type BootstrapOptions,
  type BoundKind,
  bootstrapRatioInterval,
  type CostStratum,
  type RatioInterval,
} from "./bootstrap.ts";
export { type ClusterInterval, clusterWilsonInterval, type TaskCount } from "./cluster.ts";
export { coefficientOfVariation, mean, round, sampleSd } from "./descriptive.ts";
export { normalCdf, normalQuantile, normalUpper, tQuantile } from "./distributions.ts";
export { fisherExactTwoSided } from "./hypothesis-tests.ts";
export { benjaminiHochbergAdjust, holmAdjust } from "./multiplicity.ts";
export {
  analyticPower,
  type DetectableDrop,
  minimumDetectableDrop,
  type PowerDesign,
  type PowerOptions,
  type SimulatedPower,
  simulatePower,
  type TrialsPlan,
  trialsForPower,
} from "./power.ts";
export { passAtK, passAtKCurve, wilsonInterval, Z_95 } from "./proportions.ts";
export {
  mantelHaenszelDifference,
  nonInferiorityP,
  type RiskDifference,
  riskDifferenceInterval,
} from "./risk-difference.ts";
export { createRng } from "./rng.ts";
export {
  cmhTest,
  EXACT_BUDGET,
  exactConditionalTest,
  exactCost,
  minAttainableP,
  type StratifiedTestResult,
  type Stratum,
  stratifiedTest,
} from "./stratified.ts";
