import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockInvoker } from "../copilot/fakes/mock-invoker.ts";
import { realInvoker } from "../copilot/invoker.ts";
import type { Experiment } from "../experiment/load.ts";
import { ARTIFACTS, trialDir } from "../store/layout.ts";
import type { RunCallbacks, RunOutcome } from "./execute.ts";
import type { Preflight } from "./preflight.ts";
import { runAll } from "./run-all.ts";

/**
 * `run --dry-run`: the whole pipeline, one trial per (variant, task), in a throwaway folder,
 * with a mock invoker (or, `--with-copilot`, the real CLI against the scripted provider); then a
 * check that every stage left its artifact. Nothing is left under results/.
 */

export interface CheckItem {
  stage: string;
  scope: string;
  ok: boolean;
  detail: string;
}

const nonEmpty = (path: string) => existsSync(path) && statSync(path).size > 0;

function checkRun(outcome: RunOutcome, experiment: Experiment, indexFile: string): CheckItem[] {
  const items: CheckItem[] = [];
  const add = (stage: string, scope: string, ok: boolean, detail = "") =>
    items.push({ stage, scope, ok, detail });
  for (const variant of experiment.variants) {
    for (const task of experiment.tasks) {
      const scope = `${variant.slug} / ${task.slug}`;
      const dir = trialDir(outcome.runDir, variant.slug, task.slug, 1);
      const meta = outcome.metas.find((m) => m.variant === variant.slug && m.task === task.slug);
      const ws = join(dir, ARTIFACTS.workspace);
      add(
        "workspace + git baseline",
        scope,
        existsSync(join(ws, ".git")) && !!meta?.baseline_commit,
        meta?.baseline_commit?.slice(0, 10) ?? "",
      );
      add(
        "copilot invocation",
        scope,
        meta?.status === "ok",
        meta?.status === "ok" ? `exit ${meta.copilot_exit_code}` : `${meta?.status}: ${meta?.error ?? ""}`,
      );
      add("session log (events.jsonl)", scope, nonEmpty(join(dir, ARTIFACTS.events)));
      add("OTel (copilot-otel.jsonl)", scope, nonEmpty(join(dir, ARTIFACTS.otel)));
      let turns = "";
      try {
        turns = `${(JSON.parse(readFileSync(join(dir, ARTIFACTS.metrics), "utf8")) as { n_turns?: number }).n_turns} turns`;
      } catch {}
      add("metrics.json", scope, nonEmpty(join(dir, ARTIFACTS.metrics)), turns);
      add("analysis.json", scope, nonEmpty(join(dir, ARTIFACTS.analysis)));
      add("workspace.diff (non-empty)", scope, nonEmpty(join(dir, ARTIFACTS.diff)));
      if (task.verify) {
        add(
          "verify ran",
          scope,
          nonEmpty(join(dir, ARTIFACTS.verify)),
          meta?.success === null ? "" : meta?.success ? "passed" : "failed",
        );
      } else {
        add("verify ran", scope, true, "task not graded");
      }
      add("meta.json", scope, nonEmpty(join(dir, ARTIFACTS.meta)));
    }
  }
  add(
    "summary.json + summary.md",
    "run",
    nonEmpty(join(outcome.runDir, ARTIFACTS.summary)) && nonEmpty(join(outcome.runDir, ARTIFACTS.summaryMd)),
  );
  add("report.html", "run", nonEmpty(join(outcome.runDir, ARTIFACTS.report)));
  const rows = indexedTrials(indexFile, outcome.record.run_id);
  add(
    "index rows (index.db)",
    "run",
    rows === outcome.metas.length,
    `${rows} of ${outcome.metas.length} trials`,
  );
  return items;
}

/** Trials of a run in the SQLite index (0 when the index is missing or unreadable). */
function indexedTrials(indexFile: string, runId: string): number {
  if (!existsSync(indexFile)) return 0;
  const db = new Database(indexFile, { readonly: true });
  try {
    const row = db.query("SELECT COUNT(*) AS n FROM trials WHERE run_id = ?").get(runId) as {
      n: number;
    } | null;
    return row?.n ?? 0;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

export async function dryRun(opts: {
  root: string;
  experiments: Experiment[];
  preflight: Preflight;
  withCopilot: boolean;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  callbacks?: RunCallbacks;
  keep?: boolean;
}): Promise<{ items: CheckItem[]; ok: boolean; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "cx-dry-run-"));
  try {
    const experiments = opts.experiments.map((e) => ({
      ...e,
      variants: e.variants.map((v) => ({ ...v, trials: 1 })),
    }));
    const outcomes = await runAll({
      root: opts.root,
      experiments,
      preflight: opts.preflight,
      invoker: opts.withCopilot ? realInvoker : mockInvoker,
      retries: 0,
      isolateHome: true,
      force: false,
      env: opts.env,
      signal: opts.signal,
      callbacks: opts.callbacks,
      runDirFor: (e, runId) => join(dir, "results", e.slug, runId),
      indexPath: join(dir, "results", "index.db"),
      dryRun: true,
      scriptOverride: opts.withCopilot ? "dry-run" : undefined,
    });
    const items = outcomes.flatMap((o, i) => checkRun(o, experiments[i]!, join(dir, "results", "index.db")));
    return { items, ok: items.every((i) => i.ok), dir };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
