/** Pure statistics for summaries and comparisons (SPEC 8); no I/O, deterministic for a seed. */
export { type BootstrapOptions, bootstrapRatioInterval, type RatioInterval } from "./stats/bootstrap.ts";
export { coefficientOfVariation, mean, round, sampleSd } from "./stats/descriptive.ts";
export {
  fisherExactTwoSided,
  type SignFlipOptions,
  type SignFlipResult,
  signFlipPermutationTest,
} from "./stats/hypothesis-tests.ts";
export { passAtK, passAtKCurve, wilsonInterval, Z_95 } from "./stats/proportions.ts";
export { createRng } from "./stats/rng.ts";
