import { renderSummaryMarkdown } from "../../src/formats/summary-markdown.ts";
import { Redactor } from "../../src/secrets/redact.ts";
import { trajectoryFromText } from "../../src/session/trajectory.ts";
import { createRng } from "../../src/statistics/index.ts";
import { ARTIFACTS, runDir as runDirOf } from "../../src/store/layout.ts";
import { loadRun } from "../../src/store/reader.ts";
import type {
  RunRecord,
  TrialMeta,
  TrialStatus,
  VariantContext,
  VerifyResult,
} from "../../src/store/schema.ts";
import type { SessionAnalysis, TrialMetrics, Turn } from "../../src/store/session-schema.ts";
import { RunWriter } from "../../src/store/writer.ts";
import { summarizeRun } from "../../src/summary/run-summary.ts";
import { syntheticSessionLog } from "./synthetic-session-log.ts";

/**
 * A large, realistic results tree without Copilot, git or subprocesses, written through the
 * product's writer: run.json, variant.json, task.json and per trial meta.json, metrics.json,
 * analysis.json (with turns), verify.json, prompt.md, workspace.diff (and events.jsonl on
 * request), then summary.json / summary.md from `summarizeRun`. Every figure comes from a seeded
 * generator: the same options give the same tree. No bun:test imports: benchmarks use it too.
 */

export interface SyntheticRunOptions {
  root: string;
  experiment?: string;
  runId?: string;
  variants?: number;
  tasks?: number;
  trialsPerCell?: number;
  seed?: number;
  /** Approximate lines per workspace.diff (default 40). */
  diffLines?: number;
  /** "all": a deterministic mix with every status at least once (when there are ≥ 6 trials). */
  statuses?: "all" | "ok";
  /**
   * Write a session log per trial that started a session (tool calls with arguments and outputs
   * of realistic sizes, see synthetic-session-log.ts) and its trajectory.json (default false).
   */
  events?: boolean;
  /** "unknown": sessions report no AIU (BYOK-like). Default "known". */
  aiu?: "known" | "unknown";
  /** The last N tasks have no verify command (default 0). */
  ungradedTasks?: number;
  /**
   * Plant HOSTILE in the first variant's and task's names, the first task's prompt, and in the
   * first trial (ok, verify failed): diff file name and content, verify output, error, a turn.
   */
  hostile?: boolean;
  /** run.json status (default "completed", or "partial" when statuses = "all"). */
  runStatus?: RunRecord["status"];
}

/** Markup that must stay text wherever it appears in a report. */
export const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(1)><!--`;

const MODELS = ["gpt-5", "claude-sonnet-4.5", "gpt-5-mini", "claude-haiku-4.5", "gpt-4.1", "o4-mini"];
const EFFORTS = ["high", "medium", "low"];
const TOOLS = ["view", "edit", "bash", "grep", "glob", "create"];
const START = Date.parse("2026-03-01T12:00:00.000Z");

const hex = (n: number, len: number) => (n >>> 0).toString(16).padStart(len, "0").slice(-len);
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

interface Plan {
  variant: {
    slug: string;
    name: string;
    model: string;
    effort: string;
    skill: number;
    context: VariantContext;
  };
  task: { slug: string; name: string; prompt: string; graded: boolean; difficulty: number };
  trial: number;
  status: TrialStatus;
}

/** Write the run and its summaries; returns the run folder. */
export function writeSyntheticRun(opts: SyntheticRunOptions): string {
  const seed = opts.seed ?? 1;
  const rng = createRng(seed);
  const experiment = opts.experiment ?? "synthetic";
  const runId = opts.runId ?? `20260301T120000Z_${hex(seed * 2654435761, 6)}`;
  const nV = opts.variants ?? 3;
  const nT = opts.tasks ?? 4;
  const k = opts.trialsPerCell ?? 3;
  const dir = runDirOf(opts.root, experiment, runId);
  const writer = new RunWriter(dir, Redactor.none).create();

  const variants = Array.from({ length: nV }, (_, i) => {
    const model = MODELS[i % MODELS.length]!;
    const effort = EFFORTS[i % EFFORTS.length]!;
    const round_ = Math.floor(i / (MODELS.length * EFFORTS.length));
    const slug = `${model.replace(/\./g, "-")}-${effort}${round_ ? `-${round_ + 1}` : ""}`;
    const name =
      i === 0 && opts.hostile
        ? `${model} ${HOSTILE}`
        : `${model} · ${effort}${round_ ? ` #${round_ + 1}` : ""}`;
    return { slug, name, model, effort, skill: 0.35 + rng() * 0.6, context: contextFor(i) };
  });
  const tasks = Array.from({ length: nT }, (_, j) => {
    const slug = `task-${String(j + 1).padStart(2, "0")}`;
    const hostile = j === 0 && opts.hostile;
    return {
      slug,
      name: hostile ? `fix ${HOSTILE}` : `fix-bug-${j + 1}`,
      prompt: `Fix bug #${j + 1} in src/module_${j + 1}.py so that \`pytest -q tests/test_module_${j + 1}.py\` passes.\nDo not change the tests.${hostile ? `\n${HOSTILE}` : ""}\n`,
      graded: j < nT - (opts.ungradedTasks ?? 0),
      difficulty: rng() * 0.4,
    };
  });

  const plans: Plan[] = [];
  for (const variant of variants)
    for (const task of tasks)
      for (let trial = 1; trial <= k; trial++) plans.push({ variant, task, trial, status: "ok" });
  if ((opts.statuses ?? "all") === "all") assignStatuses(plans, rng);
  if (opts.hostile) plans[0]!.status = "ok";

  const counts: Record<string, number> = { planned: plans.length, finished: plans.length };
  for (const s of ["ok", "copilot_failed", "timeout", "harness_error", "interrupted", "skipped"])
    counts[s] = 0;
  for (const p of plans) counts[p.status]! += 1;

  const record: RunRecord = {
    format_version: 1,
    run_id: runId,
    status: opts.runStatus ?? (opts.statuses === "ok" ? "completed" : "partial"),
    started_at: new Date(START).toISOString(),
    finished_at: new Date(START + plans.length * 20_000).toISOString(),
    experiment: {
      name: `Synthetic ${experiment}`,
      slug: experiment,
      description: "A generated results tree: many variants, tasks and trials with every status.",
      file: `experiments/${experiment}.yaml`,
      hash: hex(seed * 40503, 8).repeat(8),
    },
    definition: {
      name: `Synthetic ${experiment}`,
      tasks: tasks.map((t) => ({
        name: t.name,
        prompt: t.prompt,
        fixture: "fixtures/app",
        verify: t.graded ? "pytest -q" : undefined,
      })),
      variants: variants.map((v) => ({
        name: v.name,
        model: v.model,
        reasoning_effort: v.effort,
        trials: k,
      })),
    },
    variants: variants.map((v) => ({
      slug: v.slug,
      name: v.name,
      trials: k,
      model: v.model,
      reasoning_effort: v.effort,
      context: v.context,
    })),
    tasks: tasks.map((t) => ({ slug: t.slug, name: t.name, graded: t.graded })),
    copilot: { version: "1.0.102", binary: null, source: "synthetic", versions_ran: null },
    tool: { name: "copilot-experiments", version: "0.0.0-synthetic", commit: null },
    host: { hostname: "synthetic", platform: "linux", arch: "x64", cpus: 8, memory_gb: 32, bun: "1.4.5" },
    root_git_head: null,
    token_source: null,
    options: {
      concurrency: 4,
      retries: 0,
      budget_aiu: null,
      isolate_home: true,
      shard: null,
      dry_run: false,
    },
    counts: counts as RunRecord["counts"],
    shards: [],
  };
  writer.writeRecord(record);
  for (const v of variants) {
    writer.writeVariant({
      format_version: 1,
      slug: v.slug,
      name: v.name,
      definition: { name: v.name, model: v.model, reasoning_effort: v.effort, trials: k },
      context: v.context,
    });
    for (const t of tasks) {
      writer.writeTask(v.slug, {
        format_version: 1,
        slug: t.slug,
        name: t.name,
        definition: {
          name: t.name,
          prompt: t.prompt,
          fixture: "fixtures/app",
          verify: t.graded ? "pytest -q" : null,
          slug: t.slug,
        },
      });
    }
  }
  plans.forEach((p, i) => {
    writeTrial(writer, { experiment, runId, plan: p, index: i, rng, opts });
  });

  const run = loadRun(dir);
  const summary = summarizeRun(run);
  writer.writeSummary(summary, renderSummaryMarkdown(summary, run.record));
  return dir;
}

function contextFor(i: number): VariantContext {
  if (i === 1)
    return {
      instructions: { path: ".github/copilot-instructions.md", sha256: "5a1b2c3d4e5f6a7b", bytes: 214 },
    };
  if (i === 2)
    return {
      overlay: {
        path: "variants/strict",
        files: [{ path: "AGENTS.md", sha256: "0f1e2d3c4b5a6978", bytes: 812 }],
      },
      mcp_servers: ["github", "filesystem"],
    };
  return {};
}

/** Every non-ok status at least once, spread over the tree, plus a seeded sprinkle of failures. */
function assignStatuses(plans: Plan[], rng: () => number): void {
  const others: TrialStatus[] = ["copilot_failed", "timeout", "harness_error", "interrupted", "skipped"];
  for (const p of plans) {
    const r = rng();
    if (r < 0.025) p.status = "copilot_failed";
    else if (r < 0.05) p.status = "timeout";
    else if (r < 0.06) p.status = "harness_error";
    else if (r < 0.07) p.status = "interrupted";
    else if (r < 0.08) p.status = "skipped";
  }
  if (plans.length < others.length + 1) return;
  others.forEach((status, k) => {
    const at = Math.floor(((k + 1) * plans.length) / (others.length + 1));
    plans[at]!.status = status;
  });
}

interface TrialContext {
  experiment: string;
  runId: string;
  plan: Plan;
  index: number;
  rng: () => number;
  opts: SyntheticRunOptions;
}

function writeTrial(run: RunWriter, c: TrialContext): void {
  const { plan, rng, opts } = c;
  const { variant, task, trial, status } = plan;
  const writer = run.trial(variant.slug, task.slug, trial).create();
  const hostile = Boolean(opts.hostile) && c.index === 0;
  const started = START + c.index * 20_000;
  const sessionStarted =
    status === "ok" || status === "timeout" || status === "copilot_failed" || status === "interrupted";
  const ran = status === "ok" || status === "timeout";
  // The hostile trial fails verify, so its error and verify output carry HOSTILE too.
  const solved =
    ran && status === "ok" && rng() < Math.max(0.02, variant.skill - task.difficulty) && !hostile;
  const success = ran && task.graded ? solved : null;
  const flaky = success !== null && rng() < 0.02;
  const duration =
    status === "skipped" ? 0 : round(status === "timeout" ? 600 + rng() * 5 : 20 + rng() * 160, 2);
  const sessionId = sessionStarted ? uuid(c.index, c.opts.seed ?? 1) : null;
  const nTurns = sessionStarted
    ? status === "ok"
      ? 3 + Math.floor(rng() * 14)
      : 1 + Math.floor(rng() * 4)
    : 0;

  writer.writePrompt(task.prompt);
  let metrics: TrialMetrics | null = null;
  if (sessionStarted) {
    const analysis = makeAnalysis({
      sessionId: sessionId!,
      variant,
      nTurns,
      started,
      rng,
      aiuKnown: opts.aiu !== "unknown",
      hostile,
    });
    const diffText =
      ran || status === "interrupted" ? makeDiff(task.slug, opts.diffLines ?? 40, rng, hostile) : "";
    const diffStat = countDiff(diffText);
    metrics = flatMetrics(analysis, diffStat);
    writer.writeAnalysis(analysis);
    writer.writeMetrics(metrics);
    writer.writeDiff(diffText);
    writer.writeStaged("stdout", `${analysis.turns.at(-1)?.preview ?? ""}\n`);
    if (opts.events) {
      const log = syntheticSessionLog(analysis, {
        prompt: task.prompt,
        seed: (opts.seed ?? 1) * 100_003 + c.index,
        hostile: hostile ? HOSTILE : undefined,
      });
      writer.writeStaged("events", log);
      writer.writeTrajectory(trajectoryFromText(log, analysis));
    }
  }
  if (ran && task.graded) {
    const verify: VerifyResult = {
      format_version: 1,
      command: "pytest -q",
      exit_code: solved ? 0 : 1,
      success: solved,
      output: verifyOutput(task.slug, solved, hostile),
      duration_s: round(0.5 + rng() * 3, 2),
      timed_out: false,
      runs: [
        { exit_code: solved ? 0 : 1, success: solved, duration_s: 1.2, timed_out: false },
        ...(flaky
          ? [{ exit_code: solved ? 1 : 0, success: !solved, duration_s: 1.1, timed_out: false }]
          : []),
      ],
      flaky,
    };
    writer.writeVerify(verify);
  }
  const error = errorFor(status, success, hostile);
  const meta: TrialMeta = {
    format_version: 1,
    experiment: c.experiment,
    run_id: c.runId,
    variant: variant.slug,
    task: task.slug,
    trial,
    status,
    error,
    error_artifact:
      error === null
        ? null
        : ran
          ? ARTIFACTS.verify
          : status === "harness_error"
            ? ARTIFACTS.setup
            : ARTIFACTS.stdout,
    success,
    flaky_verify: flaky,
    session_id: sessionId,
    copilot_exit_code: status === "copilot_failed" ? 1 : ran ? 0 : null,
    copilot_signal: status === "timeout" || status === "interrupted" ? "SIGTERM" : null,
    timed_out: status === "timeout",
    started_at: new Date(started).toISOString(),
    finished_at: new Date(started + duration * 1000).toISOString(),
    duration_s: duration,
    copilot_duration_s: sessionStarted ? round(duration * 0.9, 2) : null,
    baseline_commit: sessionStarted ? hex(c.index * 2246822519, 8).repeat(5) : null,
    command: ["-p", "<prompt.md>", "--model", variant.model],
    secret_env_vars: [],
    attempts:
      status === "ok" && c.index % 97 === 5
        ? [
            {
              attempt: 1,
              status: "copilot_failed",
              error: "copilot exited 1: 502 Bad Gateway",
              session_id: null,
              started_at: new Date(started - 30_000).toISOString(),
              finished_at: new Date(started - 25_000).toISOString(),
              dir: "attempts/1",
            },
          ]
        : [],
  };
  writer.writeMeta(meta);
}

function errorFor(status: TrialStatus, success: boolean | null, hostile: boolean): string | null {
  switch (status) {
    case "ok":
      return success === false ? `verify failed (exit 1)${hostile ? ` ${HOSTILE}` : ""}` : null;
    case "timeout":
      return "copilot timed out after 600 s";
    case "copilot_failed":
      return "copilot exited 1: 429 Too Many Requests";
    case "harness_error":
      return "setup failed: `pip install -r requirements.txt` exited 1";
    case "interrupted":
      return "interrupted (SIGINT)";
    case "skipped":
      return "skipped: the run reached --budget-aiu";
  }
}

function uuid(i: number, seed: number): string {
  return `${hex(i * 2654435761 + seed, 8)}-${hex(i, 4)}-4${hex(seed, 3)}-8${hex(i * 7, 3)}-${hex(i * 40503 + 17, 12).padStart(12, "0")}`;
}

function makeAnalysis(a: {
  sessionId: string;
  variant: Plan["variant"];
  nTurns: number;
  started: number;
  rng: () => number;
  aiuKnown: boolean;
  hostile: boolean;
}): SessionAnalysis {
  const { rng } = a;
  const turns: Turn[] = [];
  const toolStats = new Map<string, { calls: number; failures: number; ms: number; chars: number }>();
  let offset = 1 + rng() * 2;
  let nCalls = 0;
  let nFailures = 0;
  let outputTokens = 0;
  for (let i = 0; i < a.nTurns; i++) {
    const last = i === a.nTurns - 1;
    const tools = last
      ? []
      : Array.from({ length: 1 + Math.floor(rng() * 3) }, () => TOOLS[Math.floor(rng() * TOOLS.length)]!);
    for (const t of tools) {
      const s = toolStats.get(t) ?? { calls: 0, failures: 0, ms: 0, chars: 0 };
      const failed = rng() < 0.05;
      s.calls += 1;
      s.failures += failed ? 1 : 0;
      s.ms += Math.round(20 + rng() * 800);
      s.chars += Math.round(200 + rng() * 4000);
      toolStats.set(t, s);
      nCalls += 1;
      nFailures += failed ? 1 : 0;
    }
    const out = Math.round(40 + rng() * (last ? 400 : 900));
    outputTokens += out;
    const duration = round(2 + rng() * 12, 3);
    turns.push({
      index: i + 1,
      turn_id: String(i),
      started_at: new Date(a.started + offset * 1000).toISOString(),
      offset_s: round(offset, 3),
      duration_s: duration,
      output_tokens: out,
      n_tool_calls: tools.length,
      tools,
      preview: last
        ? `Fixed the bug; the tests pass now.${a.hostile ? ` ${HOSTILE}` : ""}`
        : i === 0
          ? "Let me look at the failing test first."
          : "",
    });
    offset += duration + rng();
  }
  const inputNoncached = Math.round(1500 + rng() * 6000) * Math.max(1, a.nTurns);
  const cacheRead = Math.round(inputNoncached * (1 + rng() * 3));
  const cacheWrite = Math.round(rng() < 0.5 ? 0 : inputNoncached * 0.2);
  const reasoning =
    a.variant.effort === "high" ? Math.round(outputTokens * 0.6) : Math.round(outputTokens * 0.2);
  const inputTotal = inputNoncached + cacheRead + cacheWrite;
  const total = inputTotal + outputTokens;
  const aiu = a.aiuKnown
    ? round(inputNoncached * 2e-6 + cacheRead * 2e-7 + cacheWrite * 2.5e-6 + outputTokens * 8e-6, 4)
    : null;
  const aiuByType =
    aiu === null
      ? null
      : split(aiu, inputNoncached * 2e-6, cacheRead * 2e-7, cacheWrite * 2.5e-6, outputTokens * 8e-6);
  const tools = [...toolStats].map(([name, s]) => ({
    name,
    calls: s.calls,
    failures: s.failures,
    total_duration_ms: s.ms,
    total_result_chars: s.chars,
  }));
  return {
    format_version: 1,
    session_id: a.sessionId,
    copilot_version: "1.0.102",
    models: [a.variant.model],
    reasoning_effort: a.variant.effort,
    cwd: null,
    repository: null,
    branch: "main",
    started_at: new Date(a.started).toISOString(),
    finished_at: new Date(a.started + offset * 1000).toISOString(),
    duration_s: round(offset, 3),
    n_events: 4 + a.nTurns * 4 + nCalls * 2,
    n_malformed_lines: 0,
    n_turns: a.nTurns,
    n_user_messages: 1,
    n_assistant_messages: a.nTurns,
    n_tool_calls: nCalls,
    n_tool_failures: nFailures,
    n_warnings: 0,
    n_llm_calls: a.nTurns,
    input_tokens: inputTotal,
    output_tokens: outputTokens,
    total_tokens: total,
    economics: {
      input_tokens_noncached: inputNoncached,
      cache_read_tokens: cacheRead,
      cache_write_tokens: cacheWrite,
      output_tokens: outputTokens,
      reasoning_tokens: reasoning,
      input_tokens_total: inputTotal,
      total_tokens: total,
      aiu,
      aiu_by_type: aiuByType,
      aiu_rates_source: aiu === null ? null : "default",
      api_duration_ms: Math.round(offset * 700),
      n_requests: a.nTurns,
      system_tokens: 4592,
      tool_definitions_tokens: 5959,
      conversation_tokens: Math.round(inputNoncached / Math.max(1, a.nTurns)),
      context_tokens: 12000 + Math.round(rng() * 20000),
      peak_context_tokens: 14000 + Math.round(rng() * 30000),
      n_compactions: 0,
      n_truncations: 0,
      compaction_aiu: 0,
      files_modified: 1,
      lines_added: 4,
      lines_removed: 2,
      model_metrics: [
        {
          model: a.variant.model,
          requests: a.nTurns,
          input_tokens: inputTotal,
          output_tokens: outputTokens,
          cache_read_tokens: cacheRead,
          cache_write_tokens: cacheWrite,
          reasoning_tokens: reasoning,
          aiu,
        },
      ],
    },
    tools,
    llm_calls_source: null,
    llm_calls: [],
    turns,
    phases: [],
    warnings: [],
    event_type_counts: { "session.start": 1, "assistant.turn_start": a.nTurns, "session.shutdown": 1 },
  };
}

function split(total: number, ...parts: number[]) {
  const sum = parts.reduce((x, y) => x + y, 0) || 1;
  const [input, cache_read, cache_write, output] = parts.map((p) => round((p / sum) * total, 6)) as [
    number,
    number,
    number,
    number,
  ];
  return { input, cache_read, cache_write, output };
}

function flatMetrics(
  a: SessionAnalysis,
  diff: { files: number; added: number; removed: number },
): TrialMetrics {
  const tool_calls_by_name: Record<string, number> = {};
  for (const t of a.tools) tool_calls_by_name[t.name] = t.calls;
  return {
    format_version: 1,
    session_id: a.session_id,
    copilot_version: a.copilot_version,
    models: a.models,
    duration_s: a.duration_s,
    n_events: a.n_events,
    n_malformed_lines: a.n_malformed_lines,
    n_turns: a.n_turns,
    n_user_messages: a.n_user_messages,
    n_assistant_messages: a.n_assistant_messages,
    n_tool_calls: a.n_tool_calls,
    n_tool_failures: a.n_tool_failures,
    n_warnings: a.n_warnings,
    n_llm_calls: a.n_llm_calls,
    tool_calls_by_name,
    ...a.economics,
    files_modified: diff.files,
    lines_added: diff.added,
    lines_removed: diff.removed,
    diff_files: diff.files,
    diff_lines_added: diff.added,
    diff_lines_removed: diff.removed,
  };
}

const CODE = [
  "def {f}(a, b):",
  '    """Return the {f} of a and b."""',
  "    if a is None or b is None:",
  "        raise ValueError('missing operand')",
  "    result = a {op} b",
  "    log.debug('%s -> %s', '{f}', result)",
  "    return result",
  "",
  "class {F}Cache:",
  "    def __init__(self, size=128):",
  "        self.size = size",
  "        self.items = {}",
];

/** A unified diff of about `lines` lines over one to three files. */
function makeDiff(task: string, lines: number, rng: () => number, hostile: boolean): string {
  const nFiles = lines < 12 ? 1 : 1 + Math.floor(rng() * 3);
  const per = Math.max(4, Math.floor(lines / nFiles) - 5);
  const out: string[] = [];
  for (let f = 0; f < nFiles; f++) {
    const name = hostile && f === 0 ? `src/${HOSTILE}.py` : `src/${task.replace(/-/g, "_")}_${f + 1}.py`;
    const fn = ["add", "multiply", "divide", "subtract", "power"][Math.floor(rng() * 5)]!;
    const start = 1 + Math.floor(rng() * 200);
    const body: string[] = [];
    let removed = 0;
    let added = 0;
    for (let i = 0; i < per; i++) {
      const text = CODE[(i + f) % CODE.length]!.replaceAll("{f}", fn)
        .replaceAll("{F}", fn[0]!.toUpperCase() + fn.slice(1))
        .replaceAll("{op}", "*");
      const r = rng();
      if (r < 0.2) {
        body.push(`-${text.replace("*", "+")}`);
        removed++;
      } else if (r < 0.45) {
        body.push(`+${hostile && i === 1 ? `${text}  # ${HOSTILE}` : text}`);
        added++;
      } else body.push(` ${text}`);
    }
    const context = per - removed - added;
    out.push(
      `diff --git a/${name} b/${name}`,
      `index ${hex(start * 7919, 7)}..${hex(start * 104729, 7)} 100644`,
      `--- a/${name}`,
      `+++ b/${name}`,
      `@@ -${start},${context + removed} +${start},${context + added} @@ def ${fn}(a, b):`,
      ...body,
    );
  }
  return `${out.join("\n")}\n`;
}

function countDiff(text: string): { files: number; added: number; removed: number } {
  let files = 0;
  let added = 0;
  let removed = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("diff --git ")) files++;
    else if (line.startsWith("+") && !line.startsWith("+++ ")) added++;
    else if (line.startsWith("-") && !line.startsWith("--- ")) removed++;
  }
  return { files, added, removed };
}

function verifyOutput(task: string, solved: boolean, hostile: boolean): string {
  const file = `tests/test_${task.replace(/-/g, "_")}.py`;
  if (solved) return `....\n4 passed in 0.42s\n`;
  return `..F.\n=================================== FAILURES ===================================\n___ test_edge_case ___\n\n    def test_edge_case():\n>       assert compute(2, 3) == 6\nE       assert 5 == 6\n\n${file}:14: AssertionError\n${hostile ? `${HOSTILE}\n` : ""}1 failed, 3 passed in 0.51s\n`;
}
