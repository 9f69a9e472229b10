import type { LlmCall } from "../store/session-schema.ts";
import { add, count, type Json, obj } from "./_fields.ts";
import { addSplits, type TokenSplit, tokenTypeOf } from "./rates.ts";

/**
 * Token and cost figures accumulated per model from one kind of source (shutdowns, usage
 * records or OTel calls), and the rules that turn the CLI's usage fields into token types.
 */

export const NANO = 1e9;

export interface ModelAcc {
  requests?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  inputTotal?: number;
  reasoning?: number;
  split?: TokenSplit;
  nanoAiu?: number;
  /** Some part of this model's cost was not reported or reported as unavailable. */
  costUnknown: boolean;
}

export interface Source {
  models: Map<string, ModelAcc>;
  split?: TokenSplit;
  reasoning?: number;
  nanoAiu?: number;
  costUnknown: boolean;
  apiMs?: number;
  requests?: number;
}

export function emptySource(): Source {
  return { models: new Map(), costUnknown: false };
}

export function splitFromDetails(details: Json | undefined): Partial<TokenSplit> | undefined {
  if (!details) return undefined;
  const out: Partial<TokenSplit> = {};
  for (const [key, value] of Object.entries(details)) {
    const type = tokenTypeOf(key);
    const n = count(obj(value)?.tokenCount);
    if (type && n !== undefined) out[type] = (out[type] ?? 0) + n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Input in `usage` counts cache reads and writes too: the non-cached part is the rest. */
export function splitFromUsage(usage: Json | undefined): TokenSplit | undefined {
  if (!usage) return undefined;
  const input = count(usage.inputTokens);
  const output = count(usage.outputTokens);
  if (input === undefined && output === undefined) return undefined;
  const read = count(usage.cacheReadTokens) ?? 0;
  const write = count(usage.cacheWriteTokens) ?? 0;
  return {
    input: Math.max(0, (input ?? 0) - read - write),
    cache_read: read,
    cache_write: write,
    output: output ?? 0,
  };
}

/** Per type: the detailed figure when given, else the usage-derived one. */
export function mergeSplit(
  details: Partial<TokenSplit> | undefined,
  usage: TokenSplit | undefined,
): TokenSplit | undefined {
  if (!details) return usage;
  return {
    input: details.input ?? usage?.input ?? 0,
    cache_read: details.cache_read ?? usage?.cache_read ?? 0,
    cache_write: details.cache_write ?? usage?.cache_write ?? 0,
    output: details.output ?? usage?.output ?? 0,
  };
}

export function sumSplit(a: TokenSplit | undefined, b: TokenSplit | undefined): TokenSplit | undefined {
  if (!b) return a;
  return a ? addSplits(a, b) : { ...b };
}

export function unavailable(...holders: (Json | undefined)[]): boolean {
  return holders.some((h) => h?.aiCreditsStatus === "unavailable");
}

export function addModel(
  source: Source,
  name: string,
  figures: Omit<ModelAcc, "costUnknown">,
  costUnknown: boolean,
) {
  const acc = source.models.get(name) ?? { costUnknown: false };
  acc.requests = add(acc.requests, figures.requests);
  acc.output = add(acc.output, figures.output);
  acc.cacheRead = add(acc.cacheRead, figures.cacheRead);
  acc.cacheWrite = add(acc.cacheWrite, figures.cacheWrite);
  acc.inputTotal = add(acc.inputTotal, figures.inputTotal);
  acc.reasoning = add(acc.reasoning, figures.reasoning);
  acc.split = sumSplit(acc.split, figures.split);
  acc.nanoAiu = add(acc.nanoAiu, figures.nanoAiu);
  acc.costUnknown ||= costUnknown || figures.nanoAiu === undefined;
  source.models.set(name, acc);
}

/** Totals from the OTel calls alone: the last resort when the log has no shutdown and no records. */
export function sourceFromCalls(calls: readonly LlmCall[]): Source {
  const source = emptySource();
  for (const call of calls) {
    const read = call.cache_read_input_tokens ?? 0;
    const write = call.cache_creation_input_tokens ?? 0;
    const split =
      call.input_tokens === null && call.output_tokens === null
        ? undefined
        : {
            input: Math.max(0, (call.input_tokens ?? 0) - read - write),
            cache_read: read,
            cache_write: write,
            output: call.output_tokens ?? 0,
          };
    const nano = call.aiu === null ? undefined : call.aiu * NANO;
    addModel(
      source,
      call.response_model ?? call.request_model ?? "unknown",
      {
        requests: 1,
        output: split?.output,
        cacheRead: split?.cache_read,
        cacheWrite: split?.cache_write,
        inputTotal: call.input_tokens ?? undefined,
        split,
        nanoAiu: nano,
      },
      nano === undefined,
    );
    source.split = sumSplit(source.split, split);
    source.apiMs = add(source.apiMs, call.server_duration_ms ?? undefined);
    source.requests = add(source.requests, 1);
    if (nano === undefined) source.costUnknown = true;
    else source.nanoAiu = add(source.nanoAiu, nano);
  }
  return source;
}
