import { realpathSync } from "node:fs";
import { basename, join } from "node:path";
import type { ResolvedTask } from "../experiment/load.ts";
import { PendingSnapshots } from "../store/pending-snapshots.ts";
import type { RunWriter } from "../store/writer.ts";
import { buildSnapshot, relocateSnapshot, type Snapshot } from "../workspace/snapshot.ts";
import { repoSource } from "../workspace/sources.ts";

/**
 * The snapshots of one run slice (docs/adr/0017-shared-snapshots-and-workspace-retention.md):
 * one per task source, built before a trial first needs it (the task's other trials wait for
 * that one build), kept while the slice runs and removed when it ends. A build that failed is
 * the failure of the trial it was built for; the next trial tries again (a clone can fail for
 * a moment).
 */
export class RunSnapshots {
  private readonly built = new Map<string, { snapshot: Promise<Snapshot>; failed: boolean }>();

  constructor(
    private readonly writer: RunWriter,
    /** `whole`, or `K-of-N` for a shard: shards sharing a run folder keep their own. */
    private readonly slice: string,
    private readonly root: string,
  ) {}

  /** Snapshots built before the run started (`EarlySnapshots`), now in this slice's folder. */
  adopt(snapshots: ReadonlyMap<string, Snapshot>): void {
    for (const [key, snapshot] of snapshots)
      this.built.set(key, { snapshot: Promise.resolve(snapshot), failed: false });
  }

  /** For a trial about to start: the task's snapshot, built now unless there is one (or one on the way). */
  prepare(task: ResolvedTask): Promise<Snapshot> {
    const entry = this.built.get(this.sourceKey(task));
    return entry && !entry.failed ? entry.snapshot : this.build(task);
  }

  /** For a trial that has started: the snapshot prepared for it, failed or not. */
  get(task: ResolvedTask): Promise<Snapshot> {
    return this.built.get(this.sourceKey(task))?.snapshot ?? this.build(task);
  }

  private build(task: ResolvedTask): Promise<Snapshot> {
    const entry = {
      snapshot: buildSnapshot({ task, root: this.root, dir: this.writer.snapshotDir(this.slice, task.slug) }),
      failed: false,
    };
    entry.snapshot.catch(() => {
      entry.failed = true;
    });
    this.built.set(this.sourceKey(task), entry);
    return entry.snapshot;
  }

  /** Remove every snapshot: what a killed slice left (before it resumes), or this slice's at its end. */
  remove(): void {
    this.built.clear();
    this.writer.removeSnapshots(this.slice);
  }

  private sourceKey(task: ResolvedTask): string {
    return sourceKey(task, this.root);
  }
}

/** Tasks with the same sources share one snapshot. */
function sourceKey(task: ResolvedTask, root: string): string {
  if (task.fixture_path) {
    try {
      return `fixture:${realpathSync(task.fixture_path)}`;
    } catch {
      return `fixture:${task.fixture_path}`;
    }
  }
  if (task.repo) return `repo:${repoSource(task.repo, root)}#${task.ref ?? ""}`;
  return `task:${task.slug}`;
}

/**
 * The snapshots of a new run's first trials, built while its preflight runs (a clone or a large
 * fixture then overlaps the CLI's probe), in a pending folder the store owns: moved into the run
 * slice once the run folder exists, removed if the run does not start. A build that failed is
 * left to `RunSnapshots`, which builds again for the trial and reports its failure there.
 */
export class EarlySnapshots {
  private readonly pending: PendingSnapshots;
  private readonly builds: { key: string; snapshot: Promise<Snapshot | undefined> }[] = [];

  constructor(opts: { root: string; experiment: string; tasks: readonly ResolvedTask[] }) {
    this.pending = new PendingSnapshots(opts.root, opts.experiment);
    const keys = new Set<string>();
    for (const task of opts.tasks) {
      const key = sourceKey(task, opts.root);
      if (keys.has(key)) continue;
      keys.add(key);
      const dir = this.pending.snapshotDir(task.slug);
      const snapshot = buildSnapshot({ task, root: opts.root, dir }).catch(() => undefined);
      this.builds.push({ key, snapshot });
    }
  }

  /** Wait for the builds, move the pending folder into the run slice, and give what was built there. */
  async moveInto(writer: RunWriter, slice: string): Promise<Map<string, Snapshot>> {
    const built = await this.settled();
    if (built.length === 0) {
      this.pending.remove();
      return new Map();
    }
    const to = this.pending.moveInto(writer, slice);
    return new Map(
      built.map(({ key, snapshot }) => [key, relocateSnapshot(snapshot, join(to, basename(snapshot.dir)))]),
    );
  }

  /** Wait for the builds and remove what they made, unless it was moved (safe to repeat). */
  async discard(): Promise<void> {
    await this.settled();
    this.pending.remove();
  }

  private async settled(): Promise<{ key: string; snapshot: Snapshot }[]> {
    const results = await Promise.all(
      this.builds.map(async (b) => ({ key: b.key, snapshot: await b.snapshot })),
    );
    return results.filter((r): r is { key: string; snapshot: Snapshot } => r.snapshot !== undefined);
  }
}
