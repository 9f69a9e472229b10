import { versionsRan } from "../copilot/versions-ran.ts";
import type { TrialRecord } from "../store/reader.ts";
import type { RunRecord, TrialStatus, VersionsRan } from "../store/schema.ts";

/**
 * The Copilot CLI versions a run's trials ran (metrics.json `copilot_version`, from each trial's
 * session log) against the version preflight probed: run.json and summary.json hold it.
 * Counted over the trials that invoked Copilot — those that left a session, and those that ran
 * or failed in Copilot without one (their version is unknown); trials skipped, interrupted
 * before they started or stopped by the harness before Copilot ran are not counted.
 */
const INVOKED: ReadonlySet<TrialStatus> = new Set(["ok", "timeout", "copilot_failed"]);

export function runVersions(record: RunRecord, trials: readonly TrialRecord[]): VersionsRan {
  const versions: (string | null)[] = [];
  for (const t of trials) {
    if (t.metrics)
      versions.push(typeof t.metrics.copilot_version === "string" ? t.metrics.copilot_version : null);
    else if (INVOKED.has(t.meta.status)) versions.push(null);
  }
  return versionsRan(record.copilot.version, versions);
}
