import { realpathSync } from "node:fs";
import type { ResolvedTask } from "../experiment/load.ts";
import type { RunWriter } from "../store/writer.ts";
import { buildSnapshot, type Snapshot } from "../workspace/snapshot.ts";
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

  /** Tasks with the same sources share one snapshot. */
  private sourceKey(task: ResolvedTask): string {
    if (task.fixture_path) {
      try {
        return `fixture:${realpathSync(task.fixture_path)}`;
      } catch {
        return `fixture:${task.fixture_path}`;
      }
    }
    if (task.repo) return `repo:${repoSource(task.repo, this.root)}#${task.ref ?? ""}`;
    return `task:${task.slug}`;
  }
}
