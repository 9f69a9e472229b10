import { aiu, DASH, int, ms, seconds, share, tokens } from "../formats/numbers.ts";
import type { SessionAnalysis, Turn } from "../store/session-schema.ts";
import { displayWidth, renderTable, terminalWidth, truncate } from "./table.ts";

/**
 * Terminal view of a session analysis (`analyze`): plain data in, text out. Fits 80 columns
 * (tables shrink their text columns, optional columns drop out) and uses the room on wide
 * terminals. Colours only when asked for (the command asks on a TTY without NO_COLOR).
 */

export interface RenderAnalysisOptions {
  width?: number;
  color?: boolean;
  /** Most rows in the timeline and the LLM-call table. */
  maxTurns?: number;
}

type Paint = (text: string) => string;

function painter(color: boolean) {
  const wrap =
    (open: number, close: number): Paint =>
    (text) =>
      color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

const formatAiu = aiu;

/** `label value` items flowing over as many lines as the width needs. */
function renderPairs(pairs: readonly [string, string][], width: number, paint: Paint, indent = 2): string {
  const lines: string[] = [];
  let line = "";
  for (const [label, value] of pairs) {
    const item = `${paint(label)} ${value}`;
    const candidate = line === "" ? item : `${line}   ${item}`;
    if (line !== "" && indent + displayWidth(candidate) > width) {
      lines.push(line);
      line = item;
    } else {
      line = candidate;
    }
  }
  if (line !== "") lines.push(line);
  return lines.map((l) => " ".repeat(indent) + truncate(l, width - indent)).join("\n");
}

function toolSummary(turn: Turn): string {
  const counts = new Map<string, number>();
  for (const name of turn.tools) counts.set(name, (counts.get(name) ?? 0) + 1);
  const parts = [...counts].map(([name, n]) => (n > 1 ? `${name}×${n}` : name));
  const hidden = turn.n_tool_calls - turn.tools.length;
  if (hidden > 0) parts.push(`+${hidden}`);
  return parts.join(", ");
}

const right = (header: string) => ({ header, align: "right" as const });

export function renderAnalysis(a: SessionAnalysis, opts: RenderAnalysisOptions = {}): string {
  const width = opts.width ?? terminalWidth();
  const maxTurns = opts.maxTurns ?? 40;
  const c = painter(opts.color ?? false);
  const e = a.economics;
  const table = (columns: Parameters<typeof renderTable>[0], rows: Parameters<typeof renderTable>[1]) =>
    renderTable(columns, rows, { width, indent: 2 });
  const sections: string[] = [];
  const section = (title: string, body: string) =>
    sections.push(`${c.bold(truncate(title, width))}\n${body}`);

  sections.push(
    [
      c.bold(truncate(`Session ${a.session_id ?? "(unknown id)"}`, width)),
      renderPairs(
        [
          ["CLI", a.copilot_version ?? DASH],
          ["models", a.models.join(", ") || DASH],
          ["effort", a.reasoning_effort ?? DASH],
        ],
        width,
        c.dim,
      ),
      renderPairs(
        [
          ["cwd", a.cwd ?? DASH],
          ["repo", a.repository ?? DASH],
          ["branch", a.branch ?? DASH],
        ],
        width,
        c.dim,
      ),
      renderPairs(
        [
          ["started", a.started_at ?? DASH],
          ["duration", seconds(a.duration_s)],
        ],
        width,
        c.dim,
      ),
    ].join("\n"),
  );

  section(
    "Totals",
    renderPairs(
      [
        ["turns", int(a.n_turns)],
        ["user messages", int(a.n_user_messages)],
        ["assistant messages", int(a.n_assistant_messages)],
        [
          "tool calls",
          `${int(a.n_tool_calls)}${a.n_tool_failures > 0 ? c.red(` (${a.n_tool_failures} failed)`) : ""}`,
        ],
        ["LLM calls", int(a.n_llm_calls)],
        ["tokens in", tokens(a.input_tokens)],
        ["out", tokens(a.output_tokens)],
        ["total", tokens(a.total_tokens)],
        ["AIU", e.aiu === null ? c.dim("unknown") : formatAiu(e.aiu)],
        ["warnings", a.n_warnings > 0 ? c.yellow(int(a.n_warnings)) : "0"],
        [
          "events",
          `${int(a.n_events)}${a.n_malformed_lines > 0 ? c.yellow(` (${a.n_malformed_lines} malformed)`) : ""}`,
        ],
      ],
      width,
      c.dim,
    ),
  );

  if (a.tools.length > 0) {
    section(
      "Tools",
      table(
        ["tool", right("calls"), right("failed"), right("time"), right("result chars")],
        a.tools.map((t) => [
          t.name,
          int(t.calls),
          t.failures > 0 ? c.red(int(t.failures)) : "0",
          ms(t.total_duration_ms),
          int(t.total_result_chars),
        ]),
      ),
    );
  }

  const byType = e.aiu_by_type;
  const costRows: [string, number | null, number | null][] = [
    ["input (non-cached)", e.input_tokens_noncached, byType?.input ?? null],
    ["cache read", e.cache_read_tokens, byType?.cache_read ?? null],
    ["cache write", e.cache_write_tokens, byType?.cache_write ?? null],
    ["output", e.output_tokens, byType?.output ?? null],
  ];
  const costNote = c.dim(
    truncate(
      e.aiu === null
        ? "  AIU unknown: the log reports no cost (credits unavailable, e.g. BYOK)."
        : `  AIU split by token type with ${e.aiu_rates_source ?? "no"} rates, scaled to the reported total.`,
      width,
    ),
  );
  section(
    "Cost by token type",
    `${table(
      ["token type", right("tokens"), right("share"), right("AIU"), right("AIU share")],
      [
        ...costRows.map(([label, count, aiu]) => [
          label,
          tokens(count),
          share(count, e.total_tokens),
          formatAiu(aiu),
          share(aiu, e.aiu),
        ]),
        [c.bold("total"), tokens(e.total_tokens), "", formatAiu(e.aiu), ""],
      ],
    )}\n${costNote}`,
  );

  section(
    "Session economics",
    [
      renderPairs(
        [
          ["API time", ms(e.api_duration_ms)],
          ["requests", int(e.n_requests)],
          ["reasoning tokens", tokens(e.reasoning_tokens)],
        ],
        width,
        c.dim,
      ),
      renderPairs(
        [
          ["context: system", tokens(e.system_tokens)],
          ["tool definitions", tokens(e.tool_definitions_tokens)],
          ["conversation", tokens(e.conversation_tokens)],
          ["current", tokens(e.context_tokens)],
          ["peak", tokens(e.peak_context_tokens)],
        ],
        width,
        c.dim,
      ),
      renderPairs(
        [
          ["compactions", `${int(e.n_compactions)} (${formatAiu(e.compaction_aiu)} AIU)`],
          ["truncations", int(e.n_truncations)],
          ["files modified", int(e.files_modified)],
          ["lines", `+${int(e.lines_added)} −${int(e.lines_removed)}`],
        ],
        width,
        c.dim,
      ),
    ].join("\n"),
  );

  if (e.model_metrics.length > 0) {
    section(
      "Per model",
      table(
        [
          "model",
          right("requests"),
          right("input"),
          right("cache rd"),
          right("cache wr"),
          right("output"),
          right("reasoning"),
          right("AIU"),
        ],
        e.model_metrics.map((m) => [
          m.model,
          int(m.requests),
          tokens(m.input_tokens),
          tokens(m.cache_read_tokens),
          tokens(m.cache_write_tokens),
          tokens(m.output_tokens),
          tokens(m.reasoning_tokens),
          formatAiu(m.aiu),
        ]),
      ),
    );
  }

  if (a.llm_calls.length > 0) {
    const models = new Set(a.llm_calls.map((call) => call.response_model ?? call.request_model));
    const showModel = models.size > 1 || width >= 110;
    const shown = a.llm_calls.slice(0, maxTurns);
    const columns = [
      right("#"),
      "turn",
      ...(showModel ? ["model"] : []),
      right("input"),
      right("cache rd"),
      right("cache wr"),
      right("output"),
      right("AIU"),
      right("server"),
      right("context"),
    ];
    const rows = shown.map((call, i) => [
      String(i + 1),
      call.turn_id ?? DASH,
      ...(showModel ? [call.response_model ?? call.request_model ?? DASH] : []),
      tokens(call.input_tokens),
      tokens(call.cache_read_input_tokens),
      tokens(call.cache_creation_input_tokens),
      tokens(call.output_tokens),
      formatAiu(call.aiu),
      ms(call.server_duration_ms),
      call.current_tokens === null ? DASH : `${tokens(call.current_tokens)}/${tokens(call.token_limit)}`,
    ]);
    const more = a.llm_calls.length - shown.length;
    const source = a.llm_calls_source === "usage_record" ? " (from session.usage_record)" : "";
    section(
      `LLM calls${source}${showModel ? "" : ` ${c.dim([...models].join(", "))}`}`,
      table(columns, rows) + (more > 0 ? `\n  ${c.dim(`… ${more} more calls`)}` : ""),
    );
  }

  if (a.phases.length > 0) {
    section(
      "Phases",
      table(
        ["phase", "turns", right("tool calls"), right("output"), right("share"), right("duration")],
        a.phases.map((p) => [
          String(p.phase),
          p.first_turn === p.last_turn ? String(p.first_turn) : `${p.first_turn}–${p.last_turn}`,
          int(p.tool_calls),
          tokens(p.output_tokens),
          p.output_share === null ? DASH : `${(100 * p.output_share).toFixed(1)}%`,
          ms(p.duration_s === null ? null : p.duration_s * 1000),
        ]),
      ),
    );
  }

  if (a.turns.length > 0) {
    const shown = a.turns.slice(0, maxTurns);
    const more = a.turns.length - shown.length;
    section(
      "Timeline",
      table(
        [right("#"), right("at"), right("took"), right("out"), { header: "tools", min: 6 }, "says"],
        shown.map((t) => [
          String(t.index),
          t.offset_s === null ? DASH : `+${seconds(t.offset_s)}`,
          ms(t.duration_s === null ? null : t.duration_s * 1000),
          tokens(t.output_tokens),
          toolSummary(t),
          t.preview,
        ]),
      ) + (more > 0 ? `\n  ${c.dim(`… ${more} more turns (--max-turns)`)}` : ""),
    );
  }

  if (a.warnings.length > 0) {
    section(
      "Warnings",
      a.warnings
        .map(
          (w) =>
            `  ${c.yellow("!")} ${truncate(`${w.source}/${w.kind}: ${w.message}`, Math.max(20, width - 4))}`,
        )
        .join("\n"),
    );
  }

  section(
    "Event types",
    renderPairs(
      Object.entries(a.event_type_counts).map(([type, n]) => [type, int(n)]),
      width,
      c.dim,
    ),
  );

  return `${sections.join("\n\n")}\n`;
}
