import { displayName } from "../formats/names.ts";
import { seconds } from "../formats/numbers.ts";
import type { TrialMeta } from "../store/schema.ts";
import { writeStderr } from "../util/stdio.ts";
import { terminalSafe } from "./terminal-safe.ts";

/**
 * Progress of a run. On an interactive terminal: one live status line (done/total, running,
 * passed, failed, infrastructure failures, elapsed, ETA) with finished trials printed above it.
 * Otherwise (CI, pipes): one plain line per finished trial. Everything goes to stderr.
 */

export interface ProgressOptions {
  live: boolean;
  verbose: boolean;
  color: boolean;
  write?: (text: string) => void;
  now?: () => number;
}

/** A trial as progress names it. */
interface Cell {
  variant: { slug: string; name?: string };
  task: { slug: string; name?: string };
  trial: number;
}

/** The run callbacks progress implements (see RunCallbacks in run/execute.ts). */
export interface Progress {
  onRunStart(info: { experiment: { name: string }; runId: string; total: number; kept: number }): void;
  onTrialStart(cell: Cell): void;
  onTrialEnd(cell: Cell, meta: TrialMeta): void;
  onOutput(cell: Cell, chunk: Uint8Array): void;
  onWarning(message: string): void;
  finish(): void;
}

/** The trial by the names tables use (formats/names.ts); keyed by slugs, which are unique. */
const label = (cell: Cell) => `${displayName(cell.variant)} / ${displayName(cell.task)} #${cell.trial}`;
const key = (cell: Cell) => `${cell.variant.slug}/${cell.task.slug}/${cell.trial}`;

export function outcomeWord(meta: TrialMeta): string {
  if (meta.status !== "ok" && meta.status !== "timeout") return meta.status;
  if (meta.success === true) return meta.status === "timeout" ? "timeout+pass" : "pass";
  if (meta.success === false) return meta.status === "timeout" ? "timeout+fail" : "fail";
  return meta.status === "timeout" ? "timeout" : "done";
}

export function createProgress(opts: ProgressOptions): Progress {
  const write = opts.write ?? writeStderr;
  const now = opts.now ?? (() => performance.now());
  const paint = (code: number, text: string) => (opts.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let total = 0;
  let done = 0;
  let passed = 0;
  let failed = 0;
  let infra = 0;
  let started = now();
  let finishedTime = 0;
  const running = new Set<string>();
  const partial = new Map<string, string>();
  let statusShown = false;

  const statusLine = () => {
    const elapsed = (now() - started) / 1000;
    const eta =
      done > 0 && done < total
        ? seconds(((finishedTime / done) * (total - done)) / Math.max(1, running.size || 1))
        : "–";
    return (
      `${done}/${total} done · ${running.size} running · ${paint(32, `${passed} passed`)} · ` +
      `${paint(31, `${failed} failed`)} · ${paint(33, `${infra} infra`)} · ${seconds(elapsed)} elapsed · ETA ${eta}`
    );
  };
  const clear = () => {
    if (opts.live && statusShown) write("\r\x1b[2K");
    statusShown = false;
  };
  const redraw = () => {
    if (!opts.live) return;
    clear();
    write(statusLine());
    statusShown = true;
  };
  const ticker = opts.live ? setInterval(redraw, 1000) : undefined;

  return {
    onRunStart(info) {
      total = info.total;
      done = info.kept;
      started = now();
      clear();
      write(
        `${info.experiment.name}: run ${info.runId} — ${info.total} trial${info.total === 1 ? "" : "s"}${info.kept ? ` (${info.kept} kept from before)` : ""}\n`,
      );
      redraw();
    },
    onTrialStart(cell) {
      running.add(key(cell));
      redraw();
    },
    onTrialEnd(cell, meta) {
      running.delete(key(cell));
      done += 1;
      finishedTime += meta.duration_s;
      if (meta.success === true) passed += 1;
      else if (meta.success === false) failed += 1;
      if (meta.status === "copilot_failed" || meta.status === "harness_error") infra += 1;
      const word = outcomeWord(meta);
      const colour =
        word === "pass"
          ? 32
          : word.includes("fail") || word === "copilot_failed" || word === "harness_error"
            ? 31
            : 33;
      const width = String(total).length;
      const line =
        `[${String(done).padStart(width)}/${total}] ${paint(colour, word.padEnd(14))} ${terminalSafe(label(cell))}` +
        `  ${seconds(meta.duration_s)}${meta.error && meta.status !== "ok" ? `  ${terminalSafe(meta.error)}` : ""}`;
      clear();
      write(`${line}\n`);
      redraw();
    },
    onOutput(cell, chunk) {
      if (!opts.verbose) return;
      const id = key(cell);
      const text = (partial.get(id) ?? "") + new TextDecoder().decode(chunk);
      const lines = text.split("\n");
      partial.set(id, lines.pop() ?? "");
      if (lines.length === 0) return;
      clear();
      const prefix = paint(2, `[${terminalSafe(label(cell))}]`);
      write(lines.map((l) => `${prefix} ${terminalSafe(l)}\n`).join(""));
      redraw();
    },
    onWarning(message) {
      clear();
      write(`warning: ${message}\n`);
      redraw();
    },
    finish() {
      clearInterval(ticker);
      clear();
    },
  };
}
