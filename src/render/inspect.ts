import { aiu, DASH, ms, seconds, tokens } from "../formats/numbers.ts";
import type { TrialInspection } from "../views/trial-inspection.ts";
import { renderTable, terminalWidth, truncate } from "./table.ts";
import { wrapLine } from "./wrap.ts";

/** Terminal rendering of `inspect` (one trial). */

const n = (v: unknown) => (typeof v === "number" ? v : null);
const yesNo = (v: boolean | null) => (v === null ? DASH : v ? "yes" : "no");
const signed = (added: unknown, removed: unknown) => `+${n(added) ?? DASH} −${n(removed) ?? DASH}`;
const files = (v: unknown) => (n(v) === null ? `${DASH} files` : `${v} file${v === 1 ? "" : "s"}`);

function field(label: string, value: string): string {
  return `${label.padEnd(10)} ${value}`;
}

function metricLines(m: Record<string, unknown>, width: number): string[] {
  const byType = m.aiu_by_type as Record<string, number> | null | undefined;
  const tools = Object.entries((m.tool_calls_by_name as Record<string, number> | undefined) ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${count}`);
  return [
    field(
      "tokens",
      `${tokens(n(m.total_tokens))} total · ${tokens(n(m.input_tokens_noncached))} input · ${tokens(n(m.cache_read_tokens))} cache read · ${tokens(n(m.cache_write_tokens))} cache write · ${tokens(n(m.output_tokens))} output · ${tokens(n(m.reasoning_tokens))} reasoning`,
    ),
    field(
      "cost",
      n(m.aiu) === null
        ? "AIU not reported (BYOK or credits unavailable)"
        : `${aiu(n(m.aiu))} AIU${byType ? ` (input ${aiu(byType.input)} · cache read ${aiu(byType.cache_read)} · cache write ${aiu(byType.cache_write)} · output ${aiu(byType.output)})` : ""}`,
    ),
    field(
      "session",
      `${n(m.n_turns) ?? DASH} turns · ${n(m.n_tool_calls) ?? DASH} tool calls (${n(m.n_tool_failures) ?? 0} failed) · ${n(m.n_requests) ?? DASH} requests · API ${ms(n(m.api_duration_ms))}`,
    ),
    field(
      "context",
      `peak ${tokens(n(m.peak_context_tokens))} tokens · ${n(m.n_compactions) ?? 0} compactions · ${n(m.n_truncations) ?? 0} truncations`,
    ),
    field("models", Array.isArray(m.models) && m.models.length ? m.models.join(", ") : DASH),
    field("tools", tools.join(" · ") || DASH),
    field(
      "changes",
      `git ${files(m.diff_files)} ${signed(m.diff_lines_added, m.diff_lines_removed)} · Copilot ${files(m.files_modified)} ${signed(m.lines_added, m.lines_removed)}`,
    ),
  ].map((l) => wrapLine(`  ${l}`, { width, indent: 13 }));
}

function timeOfDay(iso: string | null): string {
  if (!iso) return "?";
  const match = /T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(iso);
  return match?.[1] ?? iso;
}

export function renderInspection(x: TrialInspection, width = terminalWidth()): string {
  const m = x.meta;
  const fit = (line: string) => truncate(line, width);
  const f = (label: string, value: string) => wrapLine(field(label, value), { width, indent: 11 });
  const out: string[] = [
    `${m.experiment} · run ${m.run_id}`,
    f("trial", `${m.variant} / ${m.task} / ${m.trial}`),
    f("status", `${m.status} · success ${yesNo(m.success)}${m.flaky_verify ? " · FLAKY verify" : ""}`),
  ];
  if (m.error) {
    out.push(f("error", `${m.error}${m.error_artifact ? ` (see ${m.error_artifact})` : ""}`));
  }
  out.push(
    f(
      "time",
      `${m.started_at} · ${seconds(m.duration_s)} (Copilot ${seconds(m.copilot_duration_s)})${m.timed_out ? " · timed out" : ""}`,
    ),
    f(
      "copilot",
      `exit ${m.copilot_exit_code ?? DASH}${m.copilot_signal ? ` · signal ${m.copilot_signal}` : ""} · session ${m.session_id ?? DASH} · sandbox ${m.sandbox ?? "none"}`,
    ),
  );
  if (m.attempts.length) {
    out.push(
      f(
        "attempts",
        m.attempts.map((a) => `#${a.attempt} ${a.status}${a.error ? ` (${a.error})` : ""}`).join("; "),
      ),
    );
  }
  out.push(field("folder", x.dir));
  if (x.workspace.recreate) out.push(f("workspace", x.workspace.recreate));
  out.push("");
  out.push(
    "Metrics",
    ...(x.metrics
      ? metricLines(x.metrics, width)
      : ["  no metrics.json (Copilot did not run or left no session)"]),
    "",
  );
  if (x.verify) {
    const v = x.verify;
    out.push(
      wrapLine(
        `Verify: ${v.command} → ${v.timed_out ? "timed out" : `exit ${v.exit_code}`} (${v.success ? "passed" : "failed"}) in ${seconds(v.duration_s)}${v.n_runs > 1 ? ` · ${v.n_runs} runs${v.flaky ? ", FLAKY" : ""}` : ""}`,
        { width, indent: 2 },
      ),
      ...(v.output_tail
        ? v.output_tail.split("\n").map((l) => fit(`  │ ${l}`).trimEnd())
        : ["  (no output)"]),
      "",
    );
  } else {
    out.push("Verify: did not run", "");
  }
  if (x.diff) {
    const d = x.diff;
    out.push(`Diff: ${d.files.length} file${d.files.length === 1 ? "" : "s"}, +${d.added} −${d.removed}`);
    if (d.files.length) {
      out.push(
        renderTable(
          [
            { header: "file", min: 16 },
            { header: "+", align: "right" },
            { header: "−", align: "right" },
          ],
          d.files.map((f) => [f.path, f.binary ? "bin" : f.added, f.binary ? "" : f.removed]),
          { width, indent: 2 },
        ),
      );
    }
    out.push("");
  }
  if (x.n_events === null) out.push("Events: no session log");
  else {
    out.push(`Last ${x.events.length} of ${x.n_events} events`);
    const typeWidth = Math.min(24, Math.max(4, ...x.events.map((e) => e.type.length)));
    for (const e of x.events)
      out.push(fit(`  ${timeOfDay(e.time).padEnd(12)}  ${e.type.padEnd(typeWidth)}  ${e.summary}`));
  }
  return out.join("\n");
}
