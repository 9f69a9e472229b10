import type { ToolStat } from "../store/session-schema.ts";

/**
 * Tool histogram from `tool.execution_start` / `tool.execution_complete`, paired by tool call id.
 * A call that failed has `success: false`; a shell command that exits non-zero is still a
 * successful call. A call's duration is the CLI's own measurement when the completion carries
 * one, else the time between its start and completion events (which adds scheduling time).
 * Only calls in flight are held in memory. Rules: docs/adr/0010-session-log-reading-rules.md.
 */

interface Acc {
  calls: number;
  failures: number;
  durationMs: number;
  resultChars: number;
}

export class ToolTracker {
  private readonly stats = new Map<string, Acc>();
  private readonly inFlight = new Map<string, { name: string; startMs: number | undefined }>();
  /** Names announced in `assistant.message.toolRequests`, for completions without a start. */
  private readonly requested = new Map<string, string>();
  calls = 0;
  failures = 0;

  request(id: string, name: string): void {
    this.requested.set(id, name);
  }

  start(id: string | undefined, name: string, ms: number | undefined): void {
    if (id === undefined) {
      this.record(name, false, 0, undefined);
      return;
    }
    this.requested.delete(id);
    this.inFlight.set(id, { name, startMs: ms });
  }

  /** Returns the tool's name and whether the call had been started (and so counted in a turn). */
  complete(
    id: string | undefined,
    opts: {
      success: boolean;
      resultChars: number;
      ms: number | undefined;
      /** The CLI's own measurement of the call (`toolTelemetry.metrics.durationMs`). */
      durationMs: number | undefined;
      name: string | undefined;
    },
  ): { name: string; started: boolean } {
    const open = id !== undefined ? this.inFlight.get(id) : undefined;
    if (id !== undefined) this.inFlight.delete(id);
    const name =
      open?.name ?? (id !== undefined ? this.requested.get(id) : undefined) ?? opts.name ?? "unknown";
    if (id !== undefined) this.requested.delete(id);
    const duration =
      opts.durationMs ??
      (open?.startMs !== undefined && opts.ms !== undefined && opts.ms >= open.startMs
        ? opts.ms - open.startMs
        : undefined);
    this.record(name, !opts.success, opts.resultChars, duration);
    return { name, started: open !== undefined };
  }

  private record(name: string, failed: boolean, resultChars: number, durationMs: number | undefined): void {
    const acc = this.stats.get(name) ?? { calls: 0, failures: 0, durationMs: 0, resultChars: 0 };
    acc.calls += 1;
    acc.failures += failed ? 1 : 0;
    acc.durationMs += durationMs ?? 0;
    acc.resultChars += resultChars;
    this.stats.set(name, acc);
    this.calls += 1;
    if (failed) this.failures += 1;
  }

  /** Close the books: calls still in flight (a killed session) count as calls that never finished. */
  finish(): { tools: ToolStat[]; unfinished: number } {
    const unfinished = this.inFlight.size;
    for (const { name } of this.inFlight.values()) this.record(name, false, 0, undefined);
    this.inFlight.clear();
    const tools = [...this.stats]
      .map(([name, s]) => ({
        name,
        calls: s.calls,
        failures: s.failures,
        total_duration_ms: s.durationMs,
        total_result_chars: s.resultChars,
      }))
      .sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
    return { tools, unfinished };
  }
}
