import { UserError } from "../errors.ts";
import { sha256Hex } from "../util/hash.ts";
import { type Experiment, stableStringify } from "./load.ts";

/**
 * `run --variants A,B`: only these variants (by name or slug) of each experiment. The run's
 * definition and hash are those of the variants kept, so run.json says what ran and a resume
 * with other variants is refused like any changed experiment. Experiments without any of the
 * variants are left out; a name no experiment has is an error.
 */
export function selectVariants(experiments: readonly Experiment[], wanted: readonly string[]): Experiment[] {
  if (wanted.length === 0) return [...experiments];
  const matches = (v: Experiment["variants"][number], w: string) => v.slug === w || v.name === w;
  const unknown = wanted.filter((w) => !experiments.some((e) => e.variants.some((v) => matches(v, w))));
  if (unknown.length > 0) {
    const known = experiments.flatMap((e) => e.variants.map((v) => v.slug));
    throw new UserError(`--variants: no variant ${unknown.map((w) => JSON.stringify(w)).join(", ")}`, {
      hint: `Variants (name or slug): ${known.join(", ")}`,
    });
  }
  const selected: Experiment[] = [];
  for (const experiment of experiments) {
    const kept = experiment.variants
      .map((variant, position) => ({ variant, position }))
      .filter(({ variant }) => wanted.some((w) => matches(variant, w)));
    if (kept.length === 0) continue;
    const redacted = {
      ...experiment.redacted,
      variants: kept.map(({ position }) => experiment.redacted.variants[position]!),
    };
    selected.push({
      ...experiment,
      variants: kept.map(({ variant }) => variant),
      redacted,
      hash: sha256Hex(stableStringify(redacted)),
    });
  }
  return selected;
}

/** `A,B` or repeated `--variants`: the names, trimmed, empty ones dropped. */
export function parseVariantList(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => String(v).split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}
