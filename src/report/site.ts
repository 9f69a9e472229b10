import { join, resolve } from "node:path";
import { environmentRedactor, type Redactor } from "../secrets/redact.ts";
import { listStoredRuns, type StoredRun } from "../store/finder.ts";
import type { GroupSummary } from "../store/summary-schema.ts";
import { writeOutput } from "../store/writer.ts";
import { TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { buildReport } from "./build-data.ts";
import { renderPage, renderReportHtml } from "./html.ts";
import { loadReportSource } from "./load.ts";
import type { SiteExperiment, SiteIndexData, SiteRun, SiteVariant } from "./types.ts";

/**
 * `report --site DIR`: a static site of every run of every experiment, ready for GitHub Pages —
 * `index.html` (every run: date, status, trials, success with its interval, cost, Copilot
 * version), `<experiment>/index.html` (success and cost per variant over its runs) and
 * `<experiment>/<run>/report.html` (each run's report; the trial files are not published).
 * Deterministic: the same results give the same bytes (pages are dated by their runs, not by
 * the clock; runs in id order).
 */

const RUN_PAGE = "report.html";
const INDEX = "index.html";

interface Built {
  run: SiteRun;
  html: string;
}

function variantRow(slug: string, name: string, v: GroupSummary | undefined): SiteVariant {
  return {
    slug,
    name,
    n_graded: v?.n_graded ?? 0,
    n_success: v?.n_success ?? 0,
    success_rate: v?.success_rate ?? null,
    success_ci_low: v?.success_ci_low ?? null,
    success_ci_high: v?.success_ci_high ?? null,
    avg_aiu: v?.avg_aiu ?? null,
    avg_total_tokens: v?.avg_total_tokens ?? null,
  };
}

function buildRun(stored: StoredRun & { record: NonNullable<StoredRun["record"]> }): Built {
  const source = loadReportSource(stored.dir);
  const record = stored.record;
  const dated = new Date(record.finished_at ?? record.started_at);
  const report = buildReport(stored.dir, source, {
    artifactLinks: "none",
    now: dated,
    site: { index: `../../${INDEX}`, experiment: `../${INDEX}` },
  });
  const o = source.summary?.overall ?? null;
  const summaries = source.summary?.variants ?? [];
  const aiu = report.data.cost_basis === "aiu";
  const run: SiteRun = {
    run_id: record.run_id,
    experiment: record.experiment.slug,
    experiment_name: record.experiment.name,
    started_at: record.started_at,
    finished_at: record.finished_at,
    status: record.status,
    copilot_version: record.copilot.version,
    report: `${record.experiment.slug}/${record.run_id}/${RUN_PAGE}`,
    trials: report.data.run.finished,
    planned: report.data.run.planned,
    n_graded: o?.n_graded ?? 0,
    n_success: o?.n_success ?? 0,
    success_rate: o?.success_rate ?? null,
    success_ci_low: o?.success_ci_low ?? null,
    success_ci_high: o?.success_ci_high ?? null,
    cost_basis: report.data.cost_basis,
    cost_total: aiu ? (o?.total_aiu ?? null) : (o?.total_tokens ?? null),
    cost_per_trial: aiu ? (o?.avg_aiu ?? null) : (o?.avg_total_tokens ?? null),
    variants: record.variants.map((v) =>
      variantRow(
        v.slug,
        v.name,
        summaries.find((x) => x.variant === v.slug),
      ),
    ),
  };
  return { run, html: renderReportHtml(report) };
}

/** The page's date: its latest run's end (ISO times sort as text). */
const latest = (runs: SiteRun[]) =>
  runs
    .map((r) => r.finished_at ?? r.started_at)
    .sort()
    .at(-1) ?? "1970-01-01T00:00:00.000Z";

function page(title: string, dataId: string, data: SiteIndexData | SiteExperiment, at: string): string {
  return renderPage({
    title,
    generator: `${TOOL_NAME} ${TOOL_VERSION}`,
    generatedAt: at,
    skeleton: ['<header id="page-header" class="run-header"></header>', '<section id="page-body"></section>'],
    dataId,
    data,
  });
}

/** Write the site; returns the index page's path and what was left out (runs without a readable run.json). */
export function writeSite(
  root: string,
  dir: string,
  opts: { env?: Record<string, string | undefined>; redactor?: Redactor } = {},
): { index: string; pages: number; skipped: StoredRun[] } {
  const out = resolve(dir);
  const redactor = opts.redactor ?? environmentRedactor(opts.env ?? process.env);
  const stored = listStoredRuns(root).sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  const skipped = stored.filter((s) => !s.record);
  const byExperiment = new Map<string, SiteRun[]>();
  let pages = 0;
  for (const s of stored) {
    if (!s.record) continue;
    const { run, html } = buildRun(s as StoredRun & { record: NonNullable<StoredRun["record"]> });
    writeOutput(join(out, run.experiment, run.run_id, RUN_PAGE), html, redactor);
    pages += 1;
    byExperiment.set(run.experiment, [...(byExperiment.get(run.experiment) ?? []), run]);
  }
  const experiments = [...byExperiment.keys()].sort().map((slug) => {
    const runs = byExperiment.get(slug)!;
    return { slug, name: runs.at(-1)!.experiment_name, href: `${slug}/${INDEX}`, runs };
  });
  const at = latest(experiments.flatMap((e) => e.runs));
  for (const e of experiments) {
    const data: SiteExperiment = redactor.redactValue({
      page: "site-experiment",
      generated_at: at,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      title: e.name,
      experiment: e.slug,
      index: `../${INDEX}`,
      runs: e.runs.map((r) => ({ ...r, report: `${r.run_id}/${RUN_PAGE}` })),
    });
    writeOutput(join(out, e.slug, INDEX), page(`${e.name} · runs`, "site-data", data, at), redactor);
    pages += 1;
  }
  const index: SiteIndexData = redactor.redactValue({
    page: "site-index",
    generated_at: at,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    title: "Experiment runs",
    experiments,
  });
  const indexPath = join(out, INDEX);
  writeOutput(indexPath, page("Experiment runs", "site-data", index, at), redactor);
  return { index: indexPath, pages: pages + 1, skipped };
}
