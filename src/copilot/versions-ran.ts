import type { VersionsRan } from "../store/schema.ts";

/**
 * Which Copilot CLI versions a run's trials actually ran (each trial's `copilot_version`, from
 * its own session log), against the version preflight probed. Plain data for run.json,
 * summary.json, `show` and the report (docs/compatibility.md "Which version runs"): a mix, or a
 * mismatch with preflight, is a warning.
 */
export type { VersionsRan };

const trialsText = (n: number) => `${n} trial${n === 1 ? "" : "s"}`;

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
  const list = ran.map((r) => `${r.version} (${trialsText(r.trials)})`).join(", ");
  let warning: string | null = null;
  if (mixed) warning = `trials ran different Copilot CLI versions: ${list}`;
  else if (mismatch) warning = `trials ran Copilot CLI ${list}, but preflight found ${preflightVersion}`;
  if (warning && mismatch && mixed) warning += `; preflight found ${preflightVersion}`;
  return { ran, unknown, mixed, mismatch, warning };
}

/**
 * `1.0.80 (4 trials), unknown (1 trial)`: the versions that ran, for `show`, summary.md and the
 * report; empty when no trial invoked Copilot.
 */
export function versionsRanText(v: VersionsRan): string {
  const parts = v.ran.map((r) => `${r.version} (${trialsText(r.trials)})`);
  if (v.unknown > 0) parts.push(`unknown (${trialsText(v.unknown)})`);
  return parts.join(", ");
}

/**
 * How a run names its Copilot: the preflight version alone when every trial that names one ran
 * it, else `1.0.102 (preflight) · ran 1.0.80 (4 trials)`.
 */
export function copilotVersionText(preflight: string, v: VersionsRan | null): string {
  if (!v || v.ran.length === 0 || (v.ran.length === 1 && v.ran[0]!.version === preflight && v.unknown === 0))
    return preflight;
  return `${preflight} (preflight) · ran ${versionsRanText(v)}`;
}
