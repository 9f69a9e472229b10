/**
 * Which Copilot CLI versions a run's trials actually ran (each trial's `analysis.json`
 * `copilot_version`, from its own session log), against the version preflight probed. Plain
 * data for run.json, summary.json, `show` and the report (docs/compatibility.md "Which version
 * runs"): a mix, or a mismatch with preflight, is a warning.
 */
export interface VersionsRan {
  /** Versions with the number of trials that ran each, most trials first. */
  ran: { version: string; trials: number }[];
  /** Trials whose session log names no version (no session, or a log without `session.start`). */
  unknown: number;
  mixed: boolean;
  /** Some trial ran another version than preflight probed. */
  mismatch: boolean;
  warning: string | null;
}

export function versionsRan(
  preflightVersion: string | null,
  trialVersions: readonly (string | null)[],
): VersionsRan {
  const counts = new Map<string, number>();
  let unknown = 0;
  for (const v of trialVersions) {
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    else unknown += 1;
  }
  const ran = [...counts]
    .map(([version, trials]) => ({ version, trials }))
    .sort((a, b) => b.trials - a.trials || a.version.localeCompare(b.version));
  const mixed = ran.length > 1;
  const mismatch = preflightVersion !== null && ran.some((r) => r.version !== preflightVersion);
  const list = ran.map((r) => `${r.version} (${r.trials} trial${r.trials === 1 ? "" : "s"})`).join(", ");
  let warning: string | null = null;
  if (mixed) warning = `trials ran different Copilot CLI versions: ${list}`;
  else if (mismatch) warning = `trials ran Copilot CLI ${list}, but preflight found ${preflightVersion}`;
  if (warning && mismatch && mixed) warning += `; preflight found ${preflightVersion}`;
  return { ran, unknown, mixed, mismatch, warning };
}
