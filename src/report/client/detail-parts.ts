// Parts of a trial's details: facts, metrics, tools, verify and the turn timeline (each turn
// links to its step of the transcript).
import * as fmt from "../../formats/numbers.ts";
import type { TrialDetail, TrialRow } from "../types.ts";
import { type Child, h, statusBadge } from "./dom.ts";
import { trialHref } from "./url-state.ts";

export const kv = (pairs: ([string, Child] | null | false | 0 | undefined)[]) =>
  h(
    "dl",
    { class: "kv" },
    pairs
      .filter((p): p is [string, Child] => Array.isArray(p))
      .map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
  );

export function trialFacts(row: TrialRow, d: TrialDetail): HTMLElement {
  return kv([
    ["Started", fmt.date(d.started_at)],
    ["Duration", fmt.seconds(row.duration_s)],
    ["Copilot exit", d.copilot_signal ? `signal ${d.copilot_signal}` : (d.copilot_exit_code ?? fmt.DASH)],
    ["Models", d.models.length ? d.models.join(", ") : fmt.DASH],
    d.attempts.length
      ? [
          "Earlier attempts",
          h(
            "div",
            null,
            d.attempts.map((a) =>
              h("div", null, `#${a.attempt} `, statusBadge(a.status), a.error ? ` ${a.error}` : ""),
            ),
          ),
        ]
      : null,
    ["Folder", h("code", null, d.path)],
  ]);
}

export function metrics(d: TrialDetail): HTMLElement {
  const m = d.metrics;
  if (!m) return h("p", { class: "muted" }, "No metrics (the session did not run or left no log).");
  const n = (key: string) => {
    const v = m[key];
    return typeof v === "number" ? v : null;
  };
  return kv([
    ["Turns", fmt.int(n("n_turns"))],
    [
      "Tool calls",
      `${fmt.int(n("n_tool_calls"))}${n("n_tool_failures") ? ` (${n("n_tool_failures")} failed)` : ""}`,
    ],
    ["Requests", `${fmt.int(n("n_requests"))} · API ${fmt.ms(n("api_duration_ms"))}`],
    ["Tokens", `${fmt.tokens(n("total_tokens"))} total`],
    [
      "Input tokens",
      `${fmt.tokens(n("input_tokens_noncached"))} new · ${fmt.tokens(n("cache_read_tokens"))} cache read · ${fmt.tokens(n("cache_write_tokens"))} cache write`,
    ],
    ["Output tokens", `${fmt.tokens(n("output_tokens"))} (${fmt.tokens(n("reasoning_tokens"))} reasoning)`],
    [
      "AIU",
      fmt.isNum(n("aiu"))
        ? `${fmt.fixed(n("aiu"), 3)}${m.aiu_rates_source ? ` (${m.aiu_rates_source} rates)` : ""}`
        : "not reported",
    ],
    ["Peak context", fmt.tokens(n("peak_context_tokens"))],
    n("n_compactions") || n("n_truncations")
      ? ["Compactions", `${n("n_compactions")} compactions, ${n("n_truncations")} truncations`]
      : null,
    [
      "Diff",
      fmt.isNum(n("diff_files"))
        ? `${n("diff_files")} ${n("diff_files") === 1 ? "file" : "files"}, +${n("diff_lines_added")} −${n("diff_lines_removed")}`
        : fmt.DASH,
    ],
    n("n_malformed_lines") ? ["Malformed log lines", String(n("n_malformed_lines"))] : null,
  ]);
}

export function toolsTable(tools: TrialDetail["tools"]): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "tbl tools-table" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["Tool", "Calls", "Failed", "Time"].map((t, i) => h("th", { class: i ? "num" : null }, t)),
        ),
      ),
      h(
        "tbody",
        null,
        tools.map((t) =>
          h(
            "tr",
            null,
            h("td", null, h("code", null, t.name)),
            h("td", { class: "num" }, String(t.calls)),
            h("td", { class: "num" }, String(t.failures)),
            h("td", { class: "num" }, fmt.ms(t.total_duration_ms)),
          ),
        ),
      ),
    ),
  );
}

export function verify(d: TrialDetail): HTMLElement {
  const v = d.verify;
  if (!v) return h("p", { class: "muted" }, "Verify did not run for this trial.");
  const outcome = v.timed_out ? "timed out" : v.success ? "passed" : "failed";
  return h(
    "div",
    null,
    kv([
      ["Command", h("code", { "data-role": "verify-command" }, v.command)],
      [
        "Outcome",
        [
          h(
            "span",
            { class: ["badge", v.success ? "r-passed" : "r-failed"], "data-role": "verify-outcome" },
            outcome,
          ),
          ` exit ${v.exit_code ?? fmt.DASH} · ${fmt.seconds(v.duration_s)}${v.flaky ? " · flaky" : ""}`,
        ],
      ],
    ]),
    v.output
      ? h(
          "pre",
          { "data-role": "verify-output" },
          v.output_truncated ? `… (earlier output cut)\n${v.output}` : v.output,
        )
      : h("p", { class: "muted small" }, "No output."),
  );
}

/** The turn timeline; a turn's number links to its step of the transcript (`key`: the trial's). */
export function timeline(d: TrialDetail, key: string): HTMLElement {
  if (d.turns.length === 0) return h("p", { class: "muted" }, "No turns recorded.");
  const max = Math.max(1, ...d.turns.map((t) => t.output_tokens || 0));
  const stepOfTurn = new Map<number, number>();
  for (const e of d.transcript?.entries ?? []) if (e.turn !== undefined) stepOfTurn.set(e.turn, e.step);
  const rows = d.turns.map((t) => {
    const step = stepOfTurn.get(t.index);
    return h(
      "tr",
      { "data-turn": t.index },
      h(
        "td",
        { class: "num" },
        step !== undefined
          ? h(
              "a",
              { href: trialHref(key, step), class: "turn-link", title: "Show this turn in the transcript" },
              String(t.index),
            )
          : String(t.index),
      ),
      h("td", { class: "num" }, fmt.isNum(t.offset_s) ? `+${fmt.seconds(t.offset_s)}` : fmt.DASH),
      h("td", { class: "num" }, fmt.seconds(t.duration_s)),
      h("td", { class: "num" }, fmt.tokens(t.output_tokens)),
      h("td", { class: "bar-cell" }, barOf(t.output_tokens, max)),
      h(
        "td",
        null,
        t.tools.map((name) => h("span", { class: "tool-chip" }, name)),
        t.n_tool_calls > t.tools.length
          ? h("span", { class: "muted small" }, `+${t.n_tool_calls - t.tools.length}`)
          : null,
      ),
      h("td", { class: "preview" }, t.preview),
    );
  });
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "tbl timeline" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["Turn", "At", "Took", "Output", "", "Tools", "Message"].map((t, i) =>
            h("th", { class: i < 4 ? "num" : null }, t),
          ),
        ),
      ),
      h("tbody", null, rows),
    ),
    d.turns_omitted ? h("p", { class: "muted small" }, `${d.turns_omitted} later turns not shown.`) : null,
  );
}

function barOf(value: number | null, max: number): HTMLElement {
  const bar = h("div", { class: "tok-bar" });
  bar.style.width = `${((value || 0) / max) * 100}%`;
  return bar;
}
