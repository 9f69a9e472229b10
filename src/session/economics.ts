import type { Economics, LlmCall, ModelMetric } from "../store/session-schema.ts";
import { add, count, finite, type Json, num, obj, str } from "./_fields.ts";
import { splitAiu } from "./_split.ts";
import {
  addModel,
  emptySource,
  mergeSplit,
  NANO,
  sourceFromCalls,
  splitFromDetails,
  splitFromUsage,
  sumSplit,
  unavailable,
} from "./_usage.ts";
import { RateBook, readLiveRates, type TokenSplit } from "./rates.ts";

/**
 * Token economics of a session (docs/adr/0002-session-economics.md). The source of truth is `session.shutdown`, summed over
 * every shutdown of a resumed session (context figures and code changes from the last one).
 * Token types come from `tokenDetails` (1.0.65 era) or else from `modelMetrics.*.usage`, whose
 * input count includes cache reads and writes. Without a shutdown (a killed session) the
 * per-request `session.usage_record` events, then the OTel calls, stand in.
 */

type AnalysisWarning = { kind: string; message: string };

export class EconomicsCollector {
  private readonly shutdown = emptySource();
  private readonly usage = emptySource();
  private nShutdowns = 0;
  private nUsageRecords = 0;
  private readonly last: Partial<Record<keyof Economics, number>> = {};
  private nCompactions = 0;
  private nFailedCompactions = 0;
  private compactionNano: number | undefined;
  private nTruncations = 0;
  private peak: number | undefined;
  /** The last shutdown's `currentModel`. */
  private currentModel: string | undefined;
  readonly rates = new RateBook();

  addShutdown(data: Json): void {
    this.nShutdowns += 1;
    const snapshot = obj(data.accountingSnapshot);
    const shutdownUnavailable = unavailable(data, snapshot);
    const metrics = obj(data.modelMetrics) ?? {};
    const snapshotMetrics = obj(snapshot?.modelMetrics);
    let usageSplit: TokenSplit | undefined;
    let reasoning: number | undefined;
    let modelNano: number | undefined;
    let allModelsUnavailable = Object.keys(metrics).length > 0;
    for (const [name, value] of Object.entries(metrics)) {
      const m = obj(value);
      if (!m) continue;
      const u = obj(m.usage);
      const split = mergeSplit(splitFromDetails(obj(m.tokenDetails)), splitFromUsage(u));
      const modelUnavailable = unavailable(m, obj(snapshotMetrics?.[name]));
      if (!modelUnavailable) allModelsUnavailable = false;
      const nano = num(m.totalNanoAiu);
      addModel(
        this.shutdown,
        name,
        {
          requests: count(obj(m.requests)?.count),
          output: split?.output,
          cacheRead: split?.cache_read,
          cacheWrite: split?.cache_write,
          inputTotal: split ? split.input + split.cache_read + split.cache_write : undefined,
          reasoning: count(u?.reasoningTokens),
          split,
          nanoAiu: nano,
        },
        shutdownUnavailable || modelUnavailable,
      );
      usageSplit = sumSplit(usageSplit, split);
      reasoning = add(reasoning, count(u?.reasoningTokens));
      modelNano = add(modelNano, nano);
    }
    const s = this.shutdown;
    s.split = sumSplit(s.split, mergeSplit(splitFromDetails(obj(data.tokenDetails)), usageSplit));
    s.reasoning = add(s.reasoning, reasoning);
    s.apiMs = add(s.apiMs, count(data.totalApiDurationMs));
    s.requests = add(s.requests, this.requestsOf(metrics));
    const nano = num(data.totalNanoAiu) ?? modelNano;
    if (shutdownUnavailable || allModelsUnavailable || nano === undefined) s.costUnknown = true;
    else s.nanoAiu = add(s.nanoAiu, nano);

    const set = (key: keyof Economics, value: number | undefined) => {
      if (value !== undefined) this.last[key] = value;
    };
    set("system_tokens", count(data.systemTokens));
    set("tool_definitions_tokens", count(data.toolDefinitionsTokens));
    set("conversation_tokens", count(data.conversationTokens));
    set("context_tokens", count(data.currentTokens));
    this.currentModel = str(data.currentModel) ?? this.currentModel;
    this.sampleContext(count(data.currentTokens));
    const changes = obj(data.codeChanges);
    if (changes) {
      const files = changes.filesModified;
      set("files_modified", Array.isArray(files) ? files.length : count(changes.filesModifiedCount));
      set("lines_added", count(changes.linesAdded));
      set("lines_removed", count(changes.linesRemoved));
    }
  }

  private requestsOf(metrics: Json): number | undefined {
    let total: number | undefined;
    for (const value of Object.values(metrics)) total = add(total, count(obj(obj(value)?.requests)?.count));
    return total;
  }

  /** `session.usage_record` (1.0.102+): one model request. */
  addUsageRecord(data: Json): void {
    const u = obj(data.usage) ?? data;
    this.nUsageRecords += 1;
    const split = splitFromUsage(u);
    const nano = num(obj(u.copilotUsage)?.totalNanoAiu) ?? num(u.totalNanoAiu);
    const name = str(u.model) ?? "unknown";
    const costUnknown = unavailable(u) || nano === undefined;
    addModel(
      this.usage,
      name,
      {
        requests: 1,
        output: split?.output,
        cacheRead: split?.cache_read,
        cacheWrite: split?.cache_write,
        inputTotal: split ? split.input + split.cache_read + split.cache_write : undefined,
        reasoning: count(u.reasoningTokens),
        split,
        nanoAiu: costUnknown ? undefined : nano,
      },
      costUnknown,
    );
    const s = this.usage;
    s.split = sumSplit(s.split, split);
    s.reasoning = add(s.reasoning, count(u.reasoningTokens));
    s.apiMs = add(s.apiMs, count(u.duration));
    s.requests = add(s.requests, 1);
    if (costUnknown) s.costUnknown = true;
    else s.nanoAiu = add(s.nanoAiu, nano);
  }

  addCompaction(data: Json): void {
    if (data.success === false) this.nFailedCompactions += 1;
    else this.nCompactions += 1;
    const used = obj(data.compactionTokensUsed);
    this.compactionNano = add(this.compactionNano, num(obj(used?.copilotUsage)?.totalNanoAiu));
    const live = readLiveRates(data);
    if (live) this.rates.addLive(live.model, live.rates);
    this.sampleContext(count(data.preCompactionTokens));
  }

  /**
   * `session.compaction_start`: the context size when compaction began. The CLI's first
   * published shape has only its three parts (`systemTokens`, `conversationTokens`,
   * `toolDefinitionsTokens`); `currentTokens`, their sum, came later. Without it the size is
   * the sum of the three when all three are reported; a partial sum is not the context size.
   */
  addCompactionStart(data: Json): void {
    const current = count(data.currentTokens);
    if (current !== undefined) {
      this.sampleContext(current);
      return;
    }
    const system = count(data.systemTokens);
    const conversation = count(data.conversationTokens);
    const tools = count(data.toolDefinitionsTokens);
    if (system !== undefined && conversation !== undefined && tools !== undefined) {
      this.sampleContext(system + conversation + tools);
    }
  }

  addTruncation(data: Json): void {
    this.nTruncations += 1;
    this.sampleContext(count(data.preTruncationTokensInMessages));
  }

  /** A measurement of the context size at some moment: feeds `peak_context_tokens`. */
  sampleContext(tokens: number | undefined): void {
    if (tokens !== undefined && (this.peak === undefined || tokens > this.peak)) this.peak = tokens;
  }

  /**
   * The economics block; `calls` (OTel) stand in when the log has no shutdown and no usage
   * records. `sessionModels` are the models the log names (SPEC 5's list, in order).
   */
  finish(
    calls: readonly LlmCall[] = [],
    sessionModels: readonly string[] = [],
  ): { economics: Economics; warnings: AnalysisWarning[] } {
    const warnings: AnalysisWarning[] = [];
    let source = this.shutdown;
    if (this.nShutdowns === 0 && this.nUsageRecords > 0) {
      source = this.usage;
      warnings.push({
        kind: "no_shutdown",
        message: `no session.shutdown: totals from ${this.nUsageRecords} session.usage_record events`,
      });
    } else if (this.nShutdowns === 0 && calls.length > 0) {
      source = sourceFromCalls(calls);
      warnings.push({
        kind: "no_shutdown",
        message: `no session.shutdown: totals from ${calls.length} OTel calls`,
      });
    } else if (this.nShutdowns === 0) {
      warnings.push({ kind: "no_shutdown", message: "no session.shutdown: token and cost totals unknown" });
    }
    if (this.nShutdowns > 1) {
      warnings.push({
        kind: "resumed",
        message: `${this.nShutdowns} shutdowns (resumed session): totals summed`,
      });
    }
    if (this.nFailedCompactions > 0) {
      warnings.push({ kind: "compaction_failed", message: `${this.nFailedCompactions} compactions failed` });
    }
    // A partial sum is not the session's cost: unknown unless every part reported one.
    const aiu = source.costUnknown || source.nanoAiu === undefined ? null : source.nanoAiu / NANO;
    const split = source.split;
    const aiuByType =
      aiu === null ? null : splitAiu(source, aiu, this.rates, this.sessionModel(sessionModels));
    if (aiu !== null && aiuByType === null) {
      warnings.push({ kind: "aiu_split", message: "AIU reported but no token counts to split it by" });
    }
    const inputTotal = split ? split.input + split.cache_read + split.cache_write : undefined;
    const models: ModelMetric[] = [...source.models].map(([model, m]) => ({
      model,
      requests: finite(m.requests),
      input_tokens: finite(m.inputTotal),
      output_tokens: finite(m.output),
      cache_read_tokens: finite(m.cacheRead),
      cache_write_tokens: finite(m.cacheWrite),
      reasoning_tokens: finite(m.reasoning),
      aiu: m.costUnknown || m.nanoAiu === undefined ? null : m.nanoAiu / NANO,
    }));
    const economics: Economics = {
      input_tokens_noncached: finite(split?.input),
      cache_read_tokens: finite(split?.cache_read),
      cache_write_tokens: finite(split?.cache_write),
      output_tokens: finite(split?.output),
      // Older shutdowns leave reasoning out; the per-request records may have it.
      reasoning_tokens: finite(source.reasoning ?? this.usage.reasoning),
      input_tokens_total: finite(inputTotal),
      total_tokens: finite(inputTotal !== undefined && split ? inputTotal + split.output : undefined),
      aiu,
      aiu_by_type: aiuByType,
      aiu_rates_source: aiuByType ? this.rates.source() : null,
      api_duration_ms: finite(source.apiMs),
      n_requests: finite(source.requests),
      system_tokens: finite(this.last.system_tokens),
      tool_definitions_tokens: finite(this.last.tool_definitions_tokens),
      conversation_tokens: finite(this.last.conversation_tokens),
      context_tokens: finite(this.last.context_tokens),
      peak_context_tokens: finite(this.peak),
      n_compactions: this.nCompactions,
      n_truncations: this.nTruncations,
      compaction_aiu:
        this.compactionNano !== undefined ? this.compactionNano / NANO : this.nCompactions === 0 ? 0 : null,
      files_modified: finite(this.last.files_modified),
      lines_added: finite(this.last.lines_added),
      lines_removed: finite(this.last.lines_removed),
      model_metrics: models,
    };
    return { economics, warnings };
  }

  /**
   * The model of tokens the log does not break down by model (a shutdown with `tokenDetails`
   * and no `modelMetrics`): the shutdown's `currentModel`, else the session's only model. With
   * several models and no `currentModel` they cannot be attributed: undefined.
   */
  private sessionModel(models: readonly string[]): string | undefined {
    return this.currentModel ?? (models.length === 1 ? models[0] : undefined);
  }
}
