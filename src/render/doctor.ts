import type { DoctorReport } from "../run/doctor.ts";

/** `doctor` for the terminal: one fact per line, then what `run` would refuse. */
export function renderDoctor(r: DoctorReport): string {
  const lines: string[] = [];
  const row = (key: string, value: string) => lines.push(`${key.padEnd(14)}${value}`);
  const c = r.copilot;
  if (c) {
    row("Copilot CLI", `${c.path} (from ${c.source})`);
    row(
      "  version",
      c.version ? `${c.version} (what trials run: --no-auto-update)` : "– (it did not answer)",
    );
    if (c.unpinned_version && c.version && c.unpinned_version !== c.version) {
      row(
        "  unpinned",
        `${c.unpinned_version}: a plain \`copilot\` here runs a newer runtime from its cache; trials stay on ${c.version}`,
      );
    } else if (c.unpinned_version) {
      row("  unpinned", `${c.unpinned_version} (the same)`);
    }
    const mark = (p: boolean | null) => (p === null ? "?" : p ? "✓" : "✗");
    for (const f of c.features) {
      row("", `${mark(f.present)} ${f.label}${f.present === false ? ` (first in ${f.since})` : ""}`);
    }
  } else {
    row("Copilot CLI", "not found");
  }
  const installed = r.installed.map((i) => `${i.version} ${i.platform}${i.is_default ? " (default)" : ""}`);
  row(
    "installed",
    installed.length ? installed.join(", ") : `none (install-copilot puts CLIs in ${r.install_cache})`,
  );
  row("git", r.git ?? "not found");
  row("token", r.token_source ? `from ${r.token_source}` : "none found");
  row(
    "results",
    `${r.results.path} ${r.results.writable ? "(writable)" : `NOT writable: ${r.results.error}`}`,
  );
  const sb = r.sandbox;
  row(
    "sandbox",
    sb.bwrap
      ? `${sb.bwrap.version} (${sb.bwrap.path}): sandbox auto and bwrap run trials in it`
      : `none: ${sb.reason}; sandbox auto runs trials without one. ${sb.hint}`,
  );
  const modes = Object.entries(sb.experiments).map(([slug, mode]) => `${slug} ${mode}`);
  if (modes.length) row("  trials in", modes.join(", "));
  row("experiments", r.experiments.length ? r.experiments.join(", ") : "none loaded");
  for (const file of r.managed_settings) {
    row("managed", `${file} applies to every trial (system-wide Copilot settings can change results)`);
  }
  lines.push("");
  if (r.ok) {
    lines.push("run: nothing to refuse");
  } else {
    lines.push(`run would refuse (${r.refusals.length}):`);
    for (const refusal of r.refusals) {
      lines.push(`  ✗ ${refusal.message}`);
      for (const d of refusal.details) lines.push(`      ${d}`);
      if (refusal.hint) lines.push(`    hint: ${refusal.hint}`);
    }
  }
  return lines.join("\n");
}
