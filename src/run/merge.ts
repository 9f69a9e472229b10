import { cpSync, existsSync, mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { writeJsonAtomic } from "../store/atomic.ts";
import { ARTIFACTS, runDir as runDirOf, taskDir, trialDir, variantDir } from "../store/layout.ts";
import { loadTrials, readRunRecord, subdirs } from "../store/reader.ts";
import type { RunRecord } from "../store/schema.ts";
import { finalizeRun } from "./finalize.ts";
import { countStatuses, runStatus } from "./run-record.ts";

/**
 * `merge DIR…`: shard result trees of one run id (e.g. CI artifacts) become one complete run
 * under `<root>/results/<experiment>/<run-id>/`, with summary, index and report. Refuses
 * mismatched experiment hashes and overlapping trials: a merged run has each trial once.
 */

interface SourceRun {
  dir: string;
  record: RunRecord;
}

/** Runs inside a DIR that is a run folder, a `results/` folder, or a root holding `results/`. */
export function findRuns(dir: string): SourceRun[] {
  if (existsSync(join(dir, ARTIFACTS.run))) return [{ dir, record: readRunRecord(dir) }];
  const results =
    existsSync(join(dir, "results")) && !existsSync(join(dir, ARTIFACTS.run)) ? join(dir, "results") : dir;
  const runs: SourceRun[] = [];
  for (const exp of subdirs(results)) {
    for (const id of subdirs(join(results, exp))) {
      const runDir = join(results, exp, id);
      if (existsSync(join(runDir, ARTIFACTS.run))) runs.push({ dir: runDir, record: readRunRecord(runDir) });
    }
  }
  return runs;
}

const same = (a: string, b: string) => existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b);

export interface MergeOutcome {
  runDir: string;
  record: RunRecord;
  sources: number;
  trials: number;
}

export async function mergeRuns(opts: {
  root: string;
  dirs: string[];
  indexPath: string;
}): Promise<MergeOutcome[]> {
  const sources = opts.dirs.flatMap((d) => {
    if (!existsSync(d)) throw new UserError(`${d} does not exist`);
    const runs = findRuns(d);
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
    if (existsSync(join(target, ARTIFACTS.run)) && !group.some((g) => same(g.dir, target))) {
      group.push({ dir: target, record: readRunRecord(target) });
    }
    const hashes = new Set(group.map((g) => g.record.experiment.hash));
    if (hashes.size > 1) {
      throw new UserError(
        `cannot merge ${key}: the shards ran different experiment definitions (${hashes.size} hashes)`,
        {
          hint: "Every shard of one run must use the same experiment file; re-run the odd shard with the same file.",
        },
      );
    }
    const seen = new Map<string, string>();
    const overlaps: string[] = [];
    const trials = group.flatMap((g) =>
      loadTrials(g.dir, g.record).map((t) => ({ meta: t.meta, dir: t.dir, source: g.dir })),
    );
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
          details: overlaps.slice(0, 10).map((c) => `${c}`),
          hint: "Each (variant, task, trial) must come from exactly one shard: run shards with distinct --shard K/N.",
        },
      );
    }
    mkdirSync(target, { recursive: true });
    for (const g of group) {
      if (same(g.dir, target)) continue;
      for (const v of g.record.variants) {
        const from = join(g.dir, "variants", v.slug, ARTIFACTS.variant);
        if (existsSync(from)) cpSync(from, join(variantDir(target, v.slug), ARTIFACTS.variant));
        for (const t of g.record.tasks) {
          const taskJson = join(g.dir, "variants", v.slug, "tasks", t.slug, ARTIFACTS.task);
          if (existsSync(taskJson)) cpSync(taskJson, join(taskDir(target, v.slug, t.slug), ARTIFACTS.task));
        }
      }
    }
    for (const t of trials) {
      if (same(t.source, target)) continue;
      const to = trialDir(target, t.meta.variant, t.meta.task, t.meta.trial);
      cpSync(t.dir, to, { recursive: true, verbatimSymlinks: true, force: true });
    }
    const metas = trials.map((t) => t.meta);
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
    writeJsonAtomic(join(target, ARTIFACTS.run), record);
    await finalizeRun({ runDir: target, indexPath: opts.indexPath });
    outcomes.push({ runDir: target, record, sources: group.length, trials: metas.length });
  }
  return outcomes;
}
