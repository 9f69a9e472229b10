import { existsSync, realpathSync } from "node:fs";
import { UserError } from "../errors.ts";
import { stableStringify } from "../experiment/load.ts";
import { acquireRunLock } from "../process/lock.ts";
import { Redactor } from "../secrets/redact.ts";
import { readTaskFile, readVariantFile } from "../store/artifacts.ts";
import { findRunsIn, runExists } from "../store/finder.ts";
import { Problems } from "../store/json-file.ts";
import { runDir as runDirOf } from "../store/layout.ts";
import {
  type LoadedRun,
  loadRun,
  loadTrials,
  orderTrials,
  readRunRecord,
  type TrialRecord,
} from "../store/reader.ts";
import type { RunRecord } from "../store/schema.ts";
import type { RunSummary } from "../store/summary-schema.ts";
import { RunWriter } from "../store/writer.ts";
import { summarizeRun } from "../summary/run-summary.ts";
import { runVersions } from "../summary/versions.ts";
import { finalizeRun } from "./finalize.ts";
import { countStatuses, runStatus } from "./run-record.ts";

/**
 * `merge DIR…`: shard result trees of one run id (e.g. CI artifacts) become one complete run
 * under `<root>/results/<experiment>/<run-id>/`, with summary, index and report. Refuses
 * mismatched experiment hashes and overlapping shards: a merged run has each trial once. Merging
 * again what the target already holds is a no-op; trials it holds with other results are
 * refused unless `force` replaces them. The target's `whole` lock is held throughout. Every
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
  /** Trials copied in, and those of them that replaced different ones (`--force`). */
  added: number;
  replaced: number;
}

export async function mergeRuns(opts: {
  root: string;
  dirs: string[];
  indexPath: string;
  /** Replace trials the target run already holds with different results. */
  force?: boolean;
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
    const exists = runExists(opts.root, first.experiment.slug, first.run_id);
    // The target's one writer while the merge works (README, Security model).
    const lock = exists ? acquireRunLock(target, "whole", "merge") : undefined;
    try {
      outcomes.push(await mergeGroup(key, group, target, { ...opts, exists, locked: lock !== undefined }));
    } finally {
      lock?.release();
    }
  }
  return outcomes;
}

type Trial = TrialRecord & { source: string };
const cellOf = (t: TrialRecord) => `${t.meta.variant}/${t.meta.task}/${t.meta.trial}`;

/** Trials of distinct sources must not overlap: each cell comes from one shard. */
function checkDistinct(key: string, trials: readonly Trial[]): void {
  const seen = new Map<string, string>();
  const overlaps: string[] = [];
  for (const t of trials) {
    const other = seen.get(cellOf(t));
    if (other !== undefined && !same(other, t.source)) overlaps.push(cellOf(t));
    seen.set(cellOf(t), t.source);
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
}

async function mergeGroup(
  key: string,
  group: SourceRun[],
  target: string,
  opts: { indexPath: string; force?: boolean; exists: boolean; locked: boolean },
): Promise<MergeOutcome> {
  const shards = group.filter((g) => !same(g.dir, target));
  const all = opts.exists ? [...shards, { dir: target, record: readRunRecord(target) }] : shards;
  const first = all[0]!.record;
  const hashes = new Set(all.map((g) => g.record.experiment.hash));
  if (hashes.size > 1) {
    throw new UserError(
      `cannot merge ${key}: the shards ran different experiment definitions (${hashes.size} hashes)`,
      {
        hint: "Every shard of one run must use the same experiment file; re-run the odd shard with the same file.",
      },
    );
  }
  const strict = new Problems("strict");
  const incoming: Trial[] = shards.flatMap((g) =>
    loadTrials(g.dir, g.record, strict).map((t) => ({ ...t, source: g.dir })),
  );
  checkDistinct(key, incoming);
  // What the target already holds: the same trial again is nothing to do (a merge re-run);
  // a different one is refused unless --force replaces it.
  const held = new Map(
    (opts.exists ? loadTrials(target, all.at(-1)!.record, strict) : []).map((t) => [cellOf(t), t]),
  );
  const differing = incoming.filter((t) => {
    const mine = held.get(cellOf(t));
    return mine !== undefined && stableStringify(mine.meta) !== stableStringify(t.meta);
  });
  if (differing.length > 0 && !opts.force) {
    throw new UserError(
      `run ${first.run_id} of ${first.experiment.slug} already holds ${differing.length} of these trials, with other results: ${target}`,
      {
        details: differing.slice(0, 10).map(cellOf),
        hint: "Pass --force to replace them with the shards' trials, or merge into another --root.",
      },
    );
  }
  const fresh = incoming.filter((t) => !held.has(cellOf(t)) || differing.includes(t));
  if (opts.exists && fresh.length === 0) {
    // Every trial is already there as it is: a no-op, nothing is written.
    const run = loadRun(target);
    return { run, summary: summarizeRun(run), sources: shards.length, added: 0, replaced: 0 };
  }

  // Merged files were redacted when their shards wrote them; no secret of the run is known here.
  const writer = new RunWriter(target, Redactor.none).create();
  const lock = opts.locked ? undefined : acquireRunLock(target, "whole", "merge");
  try {
    for (const g of shards) {
      for (const v of g.record.variants) {
        const variant = readVariantFile(g.dir, v.slug, strict);
        if (variant) writer.writeVariant(variant);
        for (const t of g.record.tasks) {
          const task = readTaskFile(g.dir, v.slug, t.slug, strict);
          if (task) writer.writeTask(v.slug, task);
        }
      }
    }
    for (const t of fresh) {
      if (held.has(cellOf(t))) writer.removeTrial(t.meta.variant, t.meta.task, t.meta.trial);
      held.set(cellOf(t), { ...t, dir: writer.importTrial(t.dir, t.meta) });
    }
    const merged = [...held.values()].map(({ meta, metrics, dir }) => ({ meta, metrics, dir }));
    const metas = merged.map((t) => t.meta);
    const record: RunRecord = {
      ...first,
      started_at: all.map((g) => g.record.started_at).sort()[0]!,
      finished_at: all
        .map((g) => g.record.finished_at ?? g.record.started_at)
        .sort()
        .at(-1)!,
      options: { ...first.options, shard: null },
      shards: [
        ...new Set(
          all.flatMap((g) => [
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
    const summary = finalizeRun(run, writer, { indexPath: opts.indexPath, env: process.env });
    return { run, summary, sources: shards.length, added: fresh.length, replaced: differing.length };
  } finally {
    lock?.release();
  }
}
