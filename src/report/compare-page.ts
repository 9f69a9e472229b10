import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { CompareResult } from "../compare/result.ts";
import { environmentRedactor, type Redactor } from "../secrets/redact.ts";
import { ARTIFACTS, trialName } from "../store/layout.ts";
import type { LoadedRun, TrialRecord } from "../store/reader.ts";
import { writeOutput } from "../store/writer.ts";
import { TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { relativePath } from "./_trial-detail.ts";
import { renderPage } from "./html.ts";
import type { ComparePageData, CompareTrial, PageRun } from "./types.ts";

/**
 * `compare … --html FILE`: the comparison `compare` computes (its JSON result, unchanged), per
 * task the trials of both sides, each linking to itself in its run's report.html when that
 * report is where the run is. One self-contained page, drawn by the report's client.
 */

export function pageRun(run: LoadedRun, from: string): PageRun {
  const r = run.record;
  const report = join(run.dir, ARTIFACTS.report);
  return {
    run_id: r.run_id,
    experiment: r.experiment.slug,
    experiment_name: r.experiment.name,
    started_at: r.started_at,
    finished_at: r.finished_at,
    status: r.status,
    copilot_version: r.copilot.version,
    report: existsSync(report) ? relativePath(from, report) : null,
  };
}

const key = (t: TrialRecord) => `${t.meta.variant}/${t.meta.task}/${trialName(t.meta.trial)}`;

function trialsOf(run: LoadedRun, variant: string, task: string, report: string | null): CompareTrial[] {
  return run.trials
    .filter((t) => t.meta.variant === variant && t.meta.task === task)
    .map((t) => ({
      key: key(t),
      trial: t.meta.trial,
      status: t.meta.status,
      success: t.meta.success,
      href: report ? `${report}#trial=${key(t)}` : null,
    }));
}

export function buildComparePage(
  result: CompareResult,
  runs: readonly LoadedRun[],
  opts: { pageDir: string; now?: Date },
): ComparePageData {
  const byId = new Map(runs.map((r) => [r.record.run_id, r]));
  const pages = new Map(runs.map((r) => [r.record.run_id, pageRun(r, opts.pageDir)]));
  const trials = result.comparisons.map((c) => {
    const a = byId.get(c.a.run_id)!;
    const b = byId.get(c.b.run_id)!;
    return c.tasks.map((t) => ({
      a: trialsOf(a, c.a.variant, t.task, pages.get(c.a.run_id)!.report),
      b: trialsOf(b, c.b.variant, t.task, pages.get(c.b.run_id)!.report),
    }));
  });
  const first = result.comparisons[0];
  const title = first
    ? `Compare ${first.b.name} with ${first.a.name}`
    : `Compare runs ${runs.map((r) => r.record.run_id).join(", ")}`;
  return {
    page: "compare",
    generated_at: (opts.now ?? new Date()).toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    title,
    result,
    runs: [...pages.values()],
    trials,
  };
}

export function renderComparePage(data: ComparePageData): string {
  return renderPage({
    title: data.title,
    generator: `${data.tool.name} ${data.tool.version}`,
    generatedAt: data.generated_at,
    skeleton: ['<header id="page-header" class="run-header"></header>', '<section id="page-body"></section>'],
    dataId: "compare-data",
    data,
  });
}

/** Write the page (through the store's writer for files outside the results tree); its path. */
export function writeComparePage(
  out: string,
  result: CompareResult,
  runs: readonly LoadedRun[],
  opts: { env?: Record<string, string | undefined>; redactor?: Redactor; now?: Date } = {},
): string {
  const target = resolve(out);
  const redactor = opts.redactor ?? environmentRedactor(opts.env ?? process.env);
  const data = redactor.redactValue(
    buildComparePage(result, runs, { pageDir: dirname(target), now: opts.now }),
  );
  writeOutput(target, renderComparePage(data), redactor);
  return target;
}
