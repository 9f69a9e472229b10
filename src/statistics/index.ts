/** Pure statistics for summaries and comparisons (SPEC 8); no I/O, deterministic for a seed. */
export { type BootstrapOptions, bootstrapRatioInterval, type RatioInterval } from "./bootstrap.ts";
export { coefficientOfVariation, mean, round, sampleSd } from "./descriptive.ts";
export {
  fisherExactTwoSided,
  type SignFlipOptions,
  type SignFlipResult,
  signFlipPermutationTest,
} from "./hypothesis-tests.ts";
export { passAtK, passAtKCurve, wilsonInterval, Z_95 } from "./proportions.ts";
export { createRng } from "./rng.ts";
