// A trial's transcript: the system prompt, the user's prompt, every agent turn with its
// reasoning, message and tool calls (arguments, exit code, output), events (model changes,
// errors, compactions) and sub-agents, each with its time and tokens. Long outputs show their
// start and expand to all the report holds; the whole text is in trajectory.json.
import * as fmt from "../../formats/numbers.ts";
import type { Transcript, TranscriptCall, TranscriptEntry } from "../types.ts";
import { type Child, h } from "./dom.ts";
import { trialHref } from "./url-state.ts";

/** Outputs longer than this start folded (the text is all there; CSS shows its start). */
const FOLD_CHARS = 700;
const FOLD_LINES = 14;

const ROLE: Record<TranscriptEntry["kind"], string> = {
  system: "System prompt",
  user: "User",
  agent: "Agent",
  event: "Event",
};

const EVENT: Record<string, string> = {
  model_change: "Model",
  compaction_complete: "Compaction",
  truncation: "Truncation",
  error: "Error",
  warning: "Warning",
  abort: "Aborted",
  resume: "Resumed",
  subagent: "Sub-agent",
};

export interface TranscriptContext {
  /** The trial's key (for permalinks) and row id (for element ids). */
  key: string;
  id: number;
  /** Path of the trial folder relative to the report, or null when its files are not at hand. */
  folder: string | null;
}

export const stepElementId = (id: number, step: number) => `t${id}-step-${step}`;

export function renderTranscript(t: Transcript | null, ctx: TranscriptContext): HTMLElement {
  if (!t) return h("p", { class: "muted" }, "No transcript: this trial left no session log.");
  const note = t.cut
    ? h(
        "p",
        { class: "muted small" },
        "Long texts are cut to fit the report (their start and end are kept); the whole session is in ",
        ctx.folder ? h("a", { href: `${ctx.folder}/trajectory.json` }, "trajectory.json") : "trajectory.json",
        ".",
      )
    : null;
  return h(
    "div",
    { class: "transcript", "data-role": "transcript", "data-source": t.source },
    note,
    entries(t.entries, t, ctx, true),
  );
}

function entries(list: TranscriptEntry[], t: Transcript, ctx: TranscriptContext, top: boolean): HTMLElement {
  return h(
    "ol",
    { class: "tx" },
    list.map((e) => entry(e, t, ctx, top)),
  );
}

function entry(e: TranscriptEntry, t: Transcript, ctx: TranscriptContext, top: boolean): HTMLElement {
  const label =
    e.kind === "event"
      ? EVENT[e.event ?? ""] || e.event || "Event"
      : e.kind === "agent" && e.turn
        ? `Agent · turn ${e.turn}`
        : ROLE[e.kind];
  const head = h(
    "div",
    { class: "tx-head" },
    h("span", { class: "tx-role" }, label),
    e.model && e.kind === "agent" ? h("span", { class: "muted small" }, e.model) : null,
    h(
      "span",
      { class: "tx-time muted small", title: "time since the session started · duration" },
      timing(e),
    ),
    e.tokens ? h("span", { class: "tx-tokens muted small" }, tokens(e.tokens)) : null,
    top
      ? h(
          "a",
          { class: "permalink", href: trialHref(ctx.key, e.step), title: "Link to this step" },
          `#${e.step}`,
        )
      : null,
  );
  const body: Child[] = [];
  if (e.reasoning)
    body.push(
      h(
        "details",
        { class: "tx-reasoning" },
        h("summary", null, "Reasoning"),
        h("pre", { "data-role": "reasoning" }, cutText(e.reasoning, e.reasoning_cut)),
      ),
    );
  if (e.text) body.push(foldable(e.text, e.text_cut, e.kind === "system" ? "system-prompt" : "message"));
  for (const c of e.calls ?? []) body.push(call(c, t, ctx));
  return h(
    "li",
    {
      class: ["tx-entry", `tx-${e.kind}`, e.event ? `tx-ev-${e.event}` : null],
      id: top ? stepElementId(ctx.id, e.step) : null,
      "data-step": e.step,
      "data-turn": e.turn ?? null,
    },
    head,
    body,
  );
}

function timing(e: TranscriptEntry): string {
  const at = fmt.isNum(e.at) ? `+${fmt.seconds(e.at)}` : "";
  const took = fmt.isNum(e.duration_s) ? ` · ${fmt.seconds(e.duration_s)}` : "";
  return at + took;
}

function tokens(t: NonNullable<TranscriptEntry["tokens"]>): string {
  const parts: string[] = [];
  if (fmt.isNum(t.prompt))
    parts.push(
      `${fmt.tokens(t.prompt)} in${fmt.isNum(t.cached) && t.cached ? ` (${fmt.tokens(t.cached)} cached)` : ""}`,
    );
  if (fmt.isNum(t.completion)) parts.push(`${fmt.tokens(t.completion)} out`);
  return parts.length ? `${parts.join(" · ")} tokens` : "";
}

function cutText(text: string, cut: number | undefined): string {
  return cut ? `${text}\n[${fmt.int(cut)} characters in all]` : text;
}

/** A text that starts folded when long, with a button that shows all of it the report holds. */
function foldable(text: string, cut: number | undefined, role: string): HTMLElement {
  const long = text.length > FOLD_CHARS || text.split("\n").length > FOLD_LINES;
  const pre = h("pre", { class: ["tx-text", long ? "folded" : null], "data-role": role }, text);
  if (!long && !cut) return pre;
  const wrap = h("div", { class: "fold" }, pre);
  if (long) {
    const button = h(
      "button",
      { type: "button", class: "fold-toggle", "aria-expanded": "false" },
      `Show all (${fmt.int(text.length)} characters)`,
    );
    button.addEventListener("click", () => {
      const open = pre.classList.toggle("folded") === false;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "Fold" : `Show all (${fmt.int(text.length)} characters)`;
    });
    wrap.append(button);
  }
  if (cut)
    wrap.append(
      h(
        "span",
        { class: "muted small cut-note", "data-role": "cut-note" },
        ` The report keeps ${fmt.int(text.length)} of ${fmt.int(cut)} characters (start and end).`,
      ),
    );
  return wrap;
}

function call(c: TranscriptCall, t: Transcript, ctx: TranscriptContext): HTMLElement {
  const failed = c.success === false;
  const status = failed
    ? h("span", { class: "badge r-failed" }, "failed")
    : c.output === null
      ? h("span", { class: "badge s-timeout" }, "no result")
      : null;
  const exit =
    c.exit_code !== undefined
      ? h("span", { class: ["exit", c.exit_code ? "exit-bad" : null] }, `exit ${c.exit_code}`)
      : null;
  const sub = c.subagent !== undefined ? t.subagents[c.subagent] : undefined;
  return h(
    "div",
    { class: ["tx-call", failed ? "failed" : null], "data-call-id": c.id, "data-tool": c.name },
    h(
      "div",
      { class: "tx-call-head" },
      h("code", { class: "tool-chip" }, c.name),
      status,
      exit,
      fmt.isNum(c.duration_ms) ? h("span", { class: "muted small" }, fmt.ms(c.duration_ms)) : null,
    ),
    args(c),
    c.output !== null ? foldable(c.output, c.output_cut, "call-output") : null,
    sub
      ? h(
          "details",
          { class: "tx-subagent", open: true },
          h(
            "summary",
            null,
            `Sub-agent ${sub.name}${sub.model ? ` (${sub.model})` : ""} · ${sub.status} · ${sub.entries.length} steps`,
          ),
          entries(sub.entries, t, ctx, false),
        )
      : null,
  );
}

/** A shell command reads as one; other arguments as the JSON they were. */
function args(c: TranscriptCall): HTMLElement {
  let command: string | null = null;
  if (/^(bash|shell|powershell|run_in_terminal)$/.test(c.name) && !c.args_cut) {
    try {
      const parsed = JSON.parse(c.args) as { command?: unknown };
      if (typeof parsed.command === "string") command = parsed.command;
    } catch {}
  }
  if (command !== null)
    return h(
      "pre",
      { class: "tx-args shell", "data-role": "call-args", "data-command": command },
      `$ ${command}`,
    );
  return h("pre", { class: "tx-args", "data-role": "call-args" }, cutText(c.args, c.args_cut));
}
