import { UserError } from "../errors.ts";
import type { LoadedRun } from "../store/reader.ts";

/** Which variants `compare` puts side by side, with errors that list what exists. */

/** One side of a comparison: a variant of a run. */
export interface VariantRef {
  run: LoadedRun;
  variant: string;
}

/** A variant of a run by slug or display name, with an error listing the variants otherwise. */
export function findVariant(run: LoadedRun, wanted: string): string {
  const variants = run.record.variants;
  const hit = variants.find((v) => v.slug === wanted) ?? variants.find((v) => v.name === wanted);
  if (hit) return hit.slug;
  throw new UserError(`run ${run.record.run_id} has no variant ${JSON.stringify(wanted)}`, {
    hint: `Variants: ${variants.map((v) => v.slug).join(", ") || "(none)"}`,
  });
}

/**
 * Which variants to compare. One run: `--variants A,B`, or its two variants when it has exactly
 * two. Two runs: `--variants A,B` (A of the first run, B of the second; `--variants A` for the
 * same variant in both); without it every variant slug the runs share is compared pairwise, or
 * the single variants of two one-variant runs.
 */
export function pairVariants(
  runA: LoadedRun,
  runB: LoadedRun | null,
  variants?: string[],
): [VariantRef, VariantRef][] {
  const list = (run: LoadedRun) => run.record.variants.map((v) => v.slug);
  if (variants && variants.length > 0) {
    if (variants.length > 2) {
      throw new UserError(`--variants takes one or two variants, got ${variants.length}`, {
        hint: "e.g. --variants baseline,candidate",
      });
    }
    const other = runB ?? runA;
    if (!runB && variants.length !== 2) {
      throw new UserError("comparing within one run needs two variants: --variants A,B", {
        hint: `Variants of ${runA.record.run_id}: ${list(runA).join(", ")}`,
      });
    }
    const [first, second = first] = variants as [string, string?];
    return [
      [
        { run: runA, variant: findVariant(runA, first) },
        { run: other, variant: findVariant(other, second!) },
      ],
    ];
  }
  if (!runB) {
    const slugs = list(runA);
    if (slugs.length === 2)
      return [
        [
          { run: runA, variant: slugs[0]! },
          { run: runA, variant: slugs[1]! },
        ],
      ];
    throw new UserError(`which two variants of run ${runA.record.run_id}? it has ${slugs.length}`, {
      hint: `Pass --variants A,B; variants: ${slugs.join(", ")}`,
    });
  }
  const slugsB = new Set(list(runB));
  const shared = list(runA).filter((s) => slugsB.has(s));
  if (shared.length > 0)
    return shared.map((s) => [
      { run: runA, variant: s },
      { run: runB, variant: s },
    ]);
  if (list(runA).length === 1 && list(runB).length === 1) {
    return [
      [
        { run: runA, variant: list(runA)[0]! },
        { run: runB, variant: list(runB)[0]! },
      ],
    ];
  }
  throw new UserError("the two runs share no variant slug: say which to compare with --variants A,B", {
    hint: `Variants: ${runA.record.run_id}: ${list(runA).join(", ")}; ${runB.record.run_id}: ${[...slugsB].join(", ")}`,
  });
}
