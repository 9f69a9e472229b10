import type { LlmCall } from "../store/session-schema.ts";
import { NumberColumn } from "./_columns.ts";

/** One LLM call as it is collected: the `llm_calls[]` fields plus what joins and orders it. */
export interface CallRow {
  turn_id: string | null;
  interaction_id: string | null;
  request_model: string | null;
  response_model: string | null;
  input_tokens: number | undefined;
  cache_read_input_tokens: number | undefined;
  cache_creation_input_tokens: number | undefined;
  output_tokens: number | undefined;
  aiu: number | undefined;
  server_duration_ms: number | undefined;
  current_tokens: number | undefined;
  token_limit: number | undefined;
  start_ms: number | undefined;
  end_ms: number | undefined;
}

const NUMBERS = [
  "input_tokens",
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
  "output_tokens",
  "aiu",
  "server_duration_ms",
  "current_tokens",
  "token_limit",
  "start_ms",
  "end_ms",
] as const;
const STRINGS = ["turn_id", "interaction_id", "request_model", "response_model"] as const;

/** The LLM calls of a session, column by column (see _columns.ts for why). */
export class CallTable {
  private readonly numbers = Object.fromEntries(NUMBERS.map((k) => [k, new NumberColumn()])) as Record<
    (typeof NUMBERS)[number],
    NumberColumn
  >;
  private readonly strings = Object.fromEntries(STRINGS.map((k) => [k, [] as (string | null)[]])) as Record<
    (typeof STRINGS)[number],
    (string | null)[]
  >;
  length = 0;

  push(row: CallRow): void {
    for (const k of NUMBERS) this.numbers[k].push(row[k]);
    for (const k of STRINGS) this.strings[k].push(row[k]);
    this.length += 1;
  }

  num(field: (typeof NUMBERS)[number], i: number): number | undefined {
    return this.numbers[field].get(i);
  }

  setNum(field: (typeof NUMBERS)[number], i: number, value: number | undefined): void {
    this.numbers[field].set(i, value);
  }

  text(field: (typeof STRINGS)[number], i: number): string | null {
    return this.strings[field][i] ?? null;
  }

  /** Row indices ordered by start time (unknown first, as found). */
  orderByStart(): number[] {
    const order = Array.from({ length: this.length }, (_, i) => i);
    return order.sort((a, b) => (this.num("start_ms", a) ?? 0) - (this.num("start_ms", b) ?? 0));
  }

  toLlmCalls(order: readonly number[] = Array.from({ length: this.length }, (_, i) => i)): LlmCall[] {
    return order.map((i) => ({
      turn_id: this.text("turn_id", i),
      request_model: this.text("request_model", i),
      response_model: this.text("response_model", i),
      input_tokens: this.num("input_tokens", i) ?? null,
      cache_read_input_tokens: this.num("cache_read_input_tokens", i) ?? null,
      cache_creation_input_tokens: this.num("cache_creation_input_tokens", i) ?? null,
      output_tokens: this.num("output_tokens", i) ?? null,
      aiu: this.num("aiu", i) ?? null,
      server_duration_ms: this.num("server_duration_ms", i) ?? null,
      current_tokens: this.num("current_tokens", i) ?? null,
      token_limit: this.num("token_limit", i) ?? null,
    }));
  }
}
