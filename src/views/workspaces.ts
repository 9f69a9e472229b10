import { hasWorkspace, workspacePath } from "../store/artifacts.ts";
import { ARTIFACTS } from "../store/layout.ts";
import type { LoadedRun } from "../store/reader.ts";
import type { RunRecord, TrialMeta } from "../store/schema.ts";

/**
 * Which trials still have their workspace (`keep_workspaces`, docs/adr/0017-shared-snapshots-and-workspace-retention.md),
 * and how to recreate one that was not kept: its baseline commit and workspace.diff are always
 * stored. A trial without a baseline never had a workspace (skipped, or provisioning failed).
 */

export type KeepPolicy = NonNullable<RunRecord["options"]["keep_workspaces"]>;

export interface WorkspaceState {
  /** The workspace folder, whether or not it is still there. */
  path: string;
  kept: boolean;
  /** How to get it back when it was not kept; null when kept or never made. */
  recreate: string | null;
}

export interface WorkspaceRetention {
  /** The run's `keep_workspaces`; null for runs from before the option (which kept every one). */
  policy: KeepPolicy | null;
  kept: number;
  not_kept: number;
}

/** One line for a person who needs a workspace that was not kept. */
export function recreateHint(meta: Pick<TrialMeta, "baseline_commit">, policy: KeepPolicy | null): string {
  const why = policy ? ` (keep_workspaces: ${policy})` : "";
  return `not kept${why}; to recreate it, lay out the task's sources with the variant's overlay and instructions and run its setup (baseline commit ${meta.baseline_commit?.slice(0, 12)}), then \`git apply ${ARTIFACTS.diff}\`; or run again with --keep-workspaces all`;
}

export function workspaceState(dir: string, meta: TrialMeta, policy: KeepPolicy | null): WorkspaceState {
  const kept = hasWorkspace(dir);
  const made = meta.baseline_commit !== null;
  return { path: workspacePath(dir), kept, recreate: !kept && made ? recreateHint(meta, policy) : null };
}

export function workspaceRetention(run: LoadedRun): WorkspaceRetention {
  const out: WorkspaceRetention = {
    policy: run.record.options.keep_workspaces ?? null,
    kept: 0,
    not_kept: 0,
  };
  for (const trial of run.trials) {
    if (trial.meta.baseline_commit === null) continue;
    if (hasWorkspace(trial.dir)) out.kept += 1;
    else out.not_kept += 1;
  }
  return out;
}
