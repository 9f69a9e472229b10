import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockInvoker } from "../copilot/fakes/mock-invoker.ts";
import { realInvoker } from "../copilot/invoker.ts";
import type { Experiment } from "../experiment/load.ts";
import { displayName } from "../formats/names.ts";
import { countIndexedTrials } from "../index/query.ts";
import { artifactSize, workspacePath } from "../store/artifacts.ts";
import { ARTIFACTS, type ArtifactName, indexPath, runDir } from "../store/layout.ts";
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

function checkRun(outcome: RunOutcome, experiment: Experiment, indexFile: string): CheckItem[] {
  const items: CheckItem[] = [];
  const add = (stage: string, scope: string, ok: boolean, detail = "") =>
    items.push({ stage, scope, ok, detail });
  const { run } = outcome;
  const nonEmpty = (dir: string, name: ArtifactName) => artifactSize(dir, name) > 0;
  for (const variant of experiment.variants) {
    for (const task of experiment.tasks) {
      const scope = `${displayName(variant)} / ${displayName(task)}`;
      const trial = run.trials.find((t) => t.meta.variant === variant.slug && t.meta.task === task.slug);
      const meta = trial?.meta;
      const dir = outcome.writer.trial(variant.slug, task.slug, 1).dir;
      add(
        "workspace + git baseline",
        scope,
        existsSync(join(workspacePath(dir), ".git")) && !!meta?.baseline_commit,
        meta?.baseline_commit?.slice(0, 10) ?? "",
      );
      add(
        "copilot invocation",
        scope,
        meta?.status === "ok",
        meta?.status === "ok" ? `exit ${meta.copilot_exit_code}` : `${meta?.status}: ${meta?.error ?? ""}`,
      );
      add("session log (events.jsonl)", scope, nonEmpty(dir, ARTIFACTS.events));
      add("OTel (copilot-otel.jsonl)", scope, nonEmpty(dir, ARTIFACTS.otel));
      const turns = trial?.metrics ? `${trial.metrics.n_turns} turns` : "";
      add("metrics.json", scope, nonEmpty(dir, ARTIFACTS.metrics), turns);
      add("analysis.json", scope, nonEmpty(dir, ARTIFACTS.analysis));
      add("workspace.diff (non-empty)", scope, nonEmpty(dir, ARTIFACTS.diff));
      if (task.verify) {
        add(
          "verify ran",
          scope,
          nonEmpty(dir, ARTIFACTS.verify),
          meta?.success === null ? "" : meta?.success ? "passed" : "failed",
        );
      } else {
        add("verify ran", scope, true, "task not graded");
      }
      add("meta.json", scope, nonEmpty(dir, ARTIFACTS.meta));
    }
  }
  add(
    "summary.json + summary.md",
    "run",
    nonEmpty(run.dir, ARTIFACTS.summary) && nonEmpty(run.dir, ARTIFACTS.summaryMd),
  );
  add("report.html", "run", nonEmpty(run.dir, ARTIFACTS.report));
  const rows = countIndexedTrials(indexFile, run.record.run_id);
  add("index rows (index.db)", "run", rows === run.trials.length, `${rows} of ${run.trials.length} trials`);
  return items;
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
      // The checklist looks at the workspace and its baseline.
      keepWorkspaces: "all",
      force: false,
      env: opts.env,
      signal: opts.signal,
      callbacks: opts.callbacks,
      runDirFor: (e, runId) => runDir(dir, e.slug, runId),
      indexPath: indexPath(dir),
      dryRun: true,
      scriptOverride: opts.withCopilot ? "dry-run" : undefined,
    });
    const items = outcomes.flatMap((o, i) => checkRun(o, experiments[i]!, indexPath(dir)));
    return { items, ok: items.every((i) => i.ok), dir };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
