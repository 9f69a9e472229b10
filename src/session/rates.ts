import type { AiuByType, TokenType } from "../store/session-schema.ts";
import { arr, count, type Json, obj, str } from "./_fields.ts";

/**
 * Per-token-type prices (nano-AIU per token) used to split a session's AIU by token type.
 * Only the ratios matter: the split is always normalised to the reported total. See
 * docs/adr/0002-session-economics.md for where the defaults come from.
 */

export type Rates = Record<TokenType, number>;
export type TokenSplit = Record<TokenType, number>;

/** Measured on claude-opus-4.7 (1.0.65 OTel per-call AIU fits these exactly). */
const ANTHROPIC_RATES: Rates = {
  input: 500_000,
  cache_read: 50_000,
  cache_write: 625_000,
  output: 2_500_000,
};
/** Measured on gpt-5.5; OpenAI models report no cache writes, the rate only fills the table. */
const OPENAI_RATES: Rates = { input: 500_000, cache_read: 50_000, cache_write: 625_000, output: 3_000_000 };

export function defaultRates(model: string | undefined): Rates {
  if (model && /^(gpt|o\d|codex)|openai/i.test(model)) return OPENAI_RATES;
  return ANTHROPIC_RATES;
}

/** Map the CLI's token-type names (and common aliases) to ours. */
export function tokenTypeOf(name: string): TokenType | undefined {
  switch (name.toLowerCase()) {
    case "input":
    case "prompt":
    case "input_tokens":
      return "input";
    case "cache_read":
    case "cached_input":
    case "cache_read_input":
      return "cache_read";
    case "cache_write":
    case "cache_creation":
    case "cache_creation_input":
      return "cache_write";
    case "output":
    case "completion":
    case "output_tokens":
      return "output";
    default:
      return undefined;
  }
}

/** Live rates from `session.compaction_complete` (`copilotUsage.tokenDetails[]`: costPerBatch / batchSize). */
export function readLiveRates(
  compaction: Json,
): { model: string | undefined; rates: Partial<Rates> } | undefined {
  const used = obj(compaction.compactionTokensUsed);
  const details = arr(obj(used?.copilotUsage)?.tokenDetails);
  if (!details) return undefined;
  const rates: Partial<Rates> = {};
  for (const entry of details) {
    const d = obj(entry);
    const type = tokenTypeOf(str(d?.tokenType) ?? "");
    const perBatch = count(d?.costPerBatch);
    const batch = count(d?.batchSize);
    if (type && perBatch !== undefined && batch !== undefined && batch > 0) rates[type] = perBatch / batch;
  }
  if (Object.keys(rates).length === 0) return undefined;
  return { model: str(used?.model) ?? str(compaction.behaviorModelId), rates };
}

export class RateBook {
  private readonly live = new Map<string, Partial<Rates>>();
  private liveAnyModel: Partial<Rates> | undefined;
  usedLive = false;
  usedDefault = false;

  addLive(model: string | undefined, rates: Partial<Rates>): void {
    if (model === undefined) this.liveAnyModel = { ...this.liveAnyModel, ...rates };
    else this.live.set(model, { ...this.live.get(model), ...rates });
  }

  /** Rates for one model: live where the log gave them, documented defaults for the rest. */
  ratesFor(model: string | undefined): Rates {
    const live = (model !== undefined ? this.live.get(model) : undefined) ?? this.liveAnyModel ?? {};
    const base = defaultRates(model);
    const out = { ...base };
    for (const type of Object.keys(base) as TokenType[]) {
      const rate = live[type];
      if (rate !== undefined) {
        out[type] = rate;
        this.usedLive = true;
      } else {
        this.usedDefault = true;
      }
    }
    return out;
  }

  source(): "live" | "default" | "mixed" | null {
    if (this.usedLive && this.usedDefault) return "mixed";
    if (this.usedLive) return "live";
    if (this.usedDefault) return "default";
    return null;
  }
}

const ZERO: AiuByType = { input: 0, cache_read: 0, cache_write: 0, output: 0 };

/** Weight of each token type (tokens x rate), the raw material of a split. */
export function weigh(split: TokenSplit, rates: Rates): TokenSplit {
  return {
    input: split.input * rates.input,
    cache_read: split.cache_read * rates.cache_read,
    cache_write: split.cache_write * rates.cache_write,
    output: split.output * rates.output,
  };
}

/** Scale weights so they sum to `total` AIU; undefined when there is nothing to weigh a non-zero total by. */
export function normalise(weights: TokenSplit, total: number): AiuByType | undefined {
  const sum = weights.input + weights.cache_read + weights.cache_write + weights.output;
  if (total === 0) return { ...ZERO };
  if (!(sum > 0)) return undefined;
  const f = total / sum;
  return {
    input: weights.input * f,
    cache_read: weights.cache_read * f,
    cache_write: weights.cache_write * f,
    output: weights.output * f,
  };
}

export function addSplits(a: TokenSplit, b: TokenSplit): TokenSplit {
  return {
    input: a.input + b.input,
    cache_read: a.cache_read + b.cache_read,
    cache_write: a.cache_write + b.cache_write,
    output: a.output + b.output,
  };
}
