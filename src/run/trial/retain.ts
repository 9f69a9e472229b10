import type { KeepWorkspaces } from "../../experiment/schema.ts";
import type { TrialMeta } from "../../store/schema.ts";
import type { TrialWriter } from "../../store/writer.ts";
import { defuseWorkspaceRepo } from "../../workspace/harness-repo.ts";
import type { Workspace } from "../../workspace/provision.ts";
import { detachFromSnapshot, type Snapshot } from "../../workspace/snapshot.ts";
import { firstLine } from "../context.ts";

/**
 * `keep_workspaces` (docs/adr/0017-shared-snapshots-and-workspace-retention.md): once a trial
 * is verified, its workspace is removed or kept. The diff and every other artifact stay either
 * way. A kept workspace is made independent of the run's snapshot before `meta.json` is
 * written, so a finished trial never depends on a snapshot that is removed when its run slice
 * ends (or that a merged run never had).
 */

/** `failed` keeps every trial that did not pass verify: failures, infrastructure errors, ungraded trials. */
export function keepsWorkspace(policy: KeepWorkspaces, meta: Pick<TrialMeta, "success">): boolean {
  if (policy === "all") return true;
  if (policy === "none") return false;
  return meta.success !== true;
}

/**
 * Keep or remove the trial's workspace. Returns a one-line problem when a kept workspace could
 * not be made independent of the snapshot (it is removed then, rather than left broken).
 */
export function retainWorkspace(
  writer: TrialWriter,
  opts: { keep: boolean; workspace?: Workspace; snapshot?: Snapshot },
): string | null {
  if (!opts.keep) {
    writer.removeWorkspace();
    return null;
  }
  try {
    // Defused again: verify ran code the agent controls after the diff.
    if (opts.workspace) defuseWorkspaceRepo(opts.workspace.path, opts.workspace.baselineRepo);
    if (opts.snapshot) detachFromSnapshot(writer.workspace, opts.snapshot);
    return null;
  } catch (err) {
    writer.removeWorkspace();
    return `workspace not kept: ${firstLine((err as Error).message)}`;
  }
}
