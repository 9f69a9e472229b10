import { existsSync, realpathSync } from "node:fs";
import { UserError } from "../errors.ts";
import { Redactor } from "../secrets/redact.ts";
import { readTaskFile, readVariantFile } from "../store/artifacts.ts";
import { findRunsIn, runExists } from "../store/finder.ts";
import { Problems } from "../store/json-file.ts";
import { runDir as runDirOf } from "../store/layout.ts";
import { type LoadedRun, loadTrials, orderTrials, readRunRecord } from "../store/reader.ts";
import type { RunRecord } from "../store/schema.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import { RunWriter } from "../store/writer.ts";
import { runVersions } from "../summary/versions.ts";
import { finalizeRun } from "./finalize.ts";
import { countStatuses, runStatus } from "./run-record.ts";

/**
 * `merge DIR…`: shard result trees of one run id (e.g. CI artifacts) become one complete run
 * under `<root>/results/<experiment>/<run-id>/`, with summary, index and report. Refuses
 * mismatched experiment hashes and overlapping trials: a merged run has each trial once. Every
 * shard is read strictly (a damaged file is an error naming it), and the slugs it names are
 * checked before anything is written: a merge writes under `<root>/results/` only.
 */

interface SourceRun {
  dir: string;
  record: RunRecord;
}

const same = (a: string, b: string) => existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b);

export interface MergeOutcome {
  run: LoadedRun;
  summary: RunSummary;
  sources: number;
}

export async function mergeRuns(opts: {
  root: string;
  dirs: string[];
  indexPath: string;
}): Promise<MergeOutcome[]> {
  const sources = opts.dirs.flatMap((d) => {
    if (!existsSync(d)) throw new UserError(`${d} does not exist`);
    const runs = findRunsIn(d);
    if (runs.length === 0) {
      throw new UserError(`no run found in ${d}`, {
        hint: "Give shard result folders: each a results/ folder (or a run folder with run.json).",
      });
    }
    return runs;
  });
  const groups = new Map<string, SourceRun[]>();
  for (const run of sources) {
    const key = `${run.record.experiment.slug}/${run.record.run_id}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const outcomes: MergeOutcome[] = [];
  for (const [key, group] of groups) {
    const first = group[0]!.record;
    const target = runDirOf(opts.root, first.experiment.slug, first.run_id);
    // Merging into a root that already holds a shard: that shard takes part too.
    if (
      runExists(opts.root, first.experiment.slug, first.run_id) &&
      !group.some((g) => same(g.dir, target))
    ) {
      group.push({ dir: target, record: readRunRecord(target) });
    }
    outcomes.push(await mergeGroup(key, group, target, opts.indexPath));
  }
  return outcomes;
}

async function mergeGroup(
  key: string,
  group: SourceRun[],
  target: string,
  indexPath: string,
): Promise<MergeOutcome> {
  const first = group[0]!.record;
  const hashes = new Set(group.map((g) => g.record.experiment.hash));
  if (hashes.size > 1) {
    throw new UserError(
      `cannot merge ${key}: the shards ran different experiment definitions (${hashes.size} hashes)`,
      {
        hint: "Every shard of one run must use the same experiment file; re-run the odd shard with the same file.",
      },
    );
  }
  const strict = new Problems("strict");
  const trials = group.flatMap((g) =>
    loadTrials(g.dir, g.record, strict).map((t) => ({ ...t, source: g.dir })),
  );
  const seen = new Map<string, string>();
  const overlaps: string[] = [];
  for (const t of trials) {
    const cell = `${t.meta.variant}/${t.meta.task}/${t.meta.trial}`;
    const other = seen.get(cell);
    if (other !== undefined && !same(other, t.source)) overlaps.push(cell);
    seen.set(cell, t.source);
  }
  if (overlaps.length) {
    throw new UserError(
      `cannot merge ${key}: ${overlaps.length} trial${overlaps.length === 1 ? "" : "s"} appear in more than one shard`,
      {
        details: overlaps.slice(0, 10),
        hint: "Each (variant, task, trial) must come from exactly one shard: run shards with distinct --shard K/N.",
      },
    );
  }
  // Merged files were redacted when their shards wrote them; no secret of the run is known here.
  const writer = new RunWriter(target, Redactor.none).create();
  for (const g of group) {
    if (same(g.dir, target)) continue;
    for (const v of g.record.variants) {
      const variant = readVariantFile(g.dir, v.slug, strict);
      if (variant) writer.writeVariant(variant);
      for (const t of g.record.tasks) {
        const task = readTaskFile(g.dir, v.slug, t.slug, strict);
        if (task) writer.writeTask(v.slug, task);
      }
    }
  }
  const merged = trials.map(({ source, ...t }) =>
    same(source, target) ? t : { ...t, dir: writer.importTrial(t.dir, t.meta) },
  );
  const metas = merged.map((t) => t.meta);
  const record: RunRecord = {
    ...first,
    started_at: group.map((g) => g.record.started_at).sort()[0]!,
    finished_at: group
      .map((g) => g.record.finished_at ?? g.record.started_at)
      .sort()
      .at(-1)!,
    options: { ...first.options, shard: null },
    shards: [
      ...new Set(
        group.flatMap((g) => [
          ...g.record.shards,
          ...(g.record.options.shard ? [g.record.options.shard] : []),
        ]),
      ),
    ].sort(),
    counts: countStatuses(metas, first.counts.planned),
    status: runStatus(metas, first.counts.planned, false),
  };
  record.copilot = { ...first.copilot, versions_ran: runVersions(record, merged) };
  writer.writeRecord(record);
  const run: LoadedRun = { dir: target, record, trials: orderTrials(merged, record) };
  const summary = finalizeRun(run, writer, { indexPath, env: process.env });
  return { run, summary, sources: group.length };
}
