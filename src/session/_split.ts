import type { AiuByType } from "../store/session-schema.ts";
import { round } from "./_fields.ts";
import { NANO, type Source } from "./_usage.ts";
import { addSplits, normalise, type RateBook, type TokenSplit, weigh } from "./rates.ts";

/**
 * AIU by token type (docs/adr/0002-session-economics.md, decision 4): each model's tokens
 * weighted by its rates and scaled to its own AIU when every model reports one, else all weights
 * scaled to the total; either way the parts sum to it. Tokens the log does not break down by
 * model are weighted by the rates of `sessionModel` (undefined: the rates that name no model).
 */
export function splitAiu(
  source: Source,
  aiu: number,
  rates: RateBook,
  sessionModel: string | undefined,
): AiuByType | null {
  const models = [...source.models].filter(([, m]) => m.split !== undefined);
  const zero: TokenSplit = { input: 0, cache_read: 0, cache_write: 0, output: 0 };
  let weights: TokenSplit;
  if (models.length > 0 && models.every(([, m]) => !m.costUnknown && m.nanoAiu !== undefined)) {
    weights = models.reduce((acc, [name, m]) => {
      const part = normalise(weigh(m.split!, rates.ratesFor(name)), m.nanoAiu! / NANO);
      return part ? addSplits(acc, part) : acc;
    }, zero);
  } else if (models.length > 0) {
    weights = models.reduce((acc, [name, m]) => addSplits(acc, weigh(m.split!, rates.ratesFor(name))), zero);
  } else if (source.split) {
    weights = weigh(source.split, rates.ratesFor(sessionModel));
  } else {
    return null;
  }
  const split = normalise(weights, aiu);
  if (!split) return null;
  // Nano-AIU is the unit of the log: finer digits are float noise.
  return {
    input: round(split.input, 9),
    cache_read: round(split.cache_read, 9),
    cache_write: round(split.cache_write, 9),
    output: round(split.output, 9),
  };
}
