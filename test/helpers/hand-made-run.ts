import { Redactor } from "../../src/secrets/redact.ts";
import { ARTIFACTS, runDir as runDirOf } from "../../src/store/layout.ts";
import type { RunRecord, TrialMeta, TrialStatus, VariantContext } from "../../src/store/schema.ts";
import type { TrialMetrics } from "../../src/store/session-schema.ts";
import { RunWriter } from "../../src/store/writer.ts";

/**
 * A results tree written by hand (no Copilot, no workspace), through the product's writer:
 * run.json, variant.json, task.json and per trial meta.json, metrics.json, verify.json,
 * prompt.md, events.jsonl, workspace.diff. Figures are whatever the spec says, so tests can
 * compute the expected statistics themselves. No bun:test imports: the index benchmark uses it.
 */

export interface HandTrial {
  variant: string;
  task: string;
  trial: number;
  status: TrialStatus;
  /** Verify outcome; default: true for ok, false for timeout, null otherwise. */
  success?: boolean | null;
  error?: string | null;
  flaky?: boolean;
  /** Overrides of the flat metrics; `null` writes no metrics.json (a trial that never started). */
  metrics?: Partial<TrialMetrics> | null;
  durationS?: number;
}

export interface HandRunSpec {
  experiment?: string;
  experimentName?: string;
  runId: string;
  status?: RunRecord["status"];
  startedAt?: string;
  variants: { slug: string; name?: string; context?: VariantContext }[];
  tasks: { slug: string; name?: string; prompt?: string; graded?: boolean }[];
  trials: HandTrial[];
}

/** Complete flat metrics of a small successful session; override what a test cares about. */
export function fakeMetrics(over: Partial<TrialMetrics> = {}): TrialMetrics {
  const output = over.output_tokens ?? 120;
  const input = over.input_tokens_total ?? 6000;
  return {
    format_version: 1,
    session_id: null,
    copilot_version: "1.0.102",
    models: ["gpt-test"],
    duration_s: 12.5,
    n_events: 20,
    n_malformed_lines: 0,
    n_turns: 3,
    n_user_messages: 1,
    n_assistant_messages: 3,
    n_tool_calls: 2,
    n_tool_failures: 0,
    n_warnings: 0,
    n_llm_calls: 3,
    tool_calls_by_name: { view: 1, edit: 1 },
    input_tokens_noncached: 2000,
    cache_read_tokens: 4000,
    cache_write_tokens: 0,
    output_tokens: output,
    reasoning_tokens: 10,
    input_tokens_total: input,
    total_tokens: input + output,
    aiu: 0.5,
    aiu_by_type: { input: 0.2, cache_read: 0.1, cache_write: 0, output: 0.2 },
    aiu_rates_source: "default",
    api_duration_ms: 900,
    n_requests: 3,
    system_tokens: 4600,
    tool_definitions_tokens: 5900,
    conversation_tokens: 400,
    context_tokens: 10900,
    peak_context_tokens: 11000,
    n_compactions: 0,
    n_truncations: 0,
    compaction_aiu: 0,
    files_modified: 1,
    lines_added: 1,
    lines_removed: 1,
    model_metrics: [],
    diff_files: 1,
    diff_lines_added: 1,
    diff_lines_removed: 1,
    ...over,
  };
}

function events(sessionId: string, start: Date): string {
  const at = (s: number) => new Date(start.getTime() + s * 1000).toISOString();
  const lines = [
    { type: "session.start", data: { sessionId, copilotVersion: "1.0.102", selectedModel: "gpt-test" } },
    { type: "user.message", data: { content: "Fix it, please." } },
    { type: "assistant.turn_start", data: { turnId: "0" } },
    {
      type: "tool.execution_start",
      data: { toolCallId: "t1", toolName: "view", arguments: { path: "a.py" } },
    },
    { type: "tool.execution_complete", data: { toolCallId: "t1", success: true } },
    { type: "assistant.message", data: { content: "I changed a.py so the tests pass." } },
    { type: "assistant.turn_end", data: { turnId: "0" } },
    { type: "session.shutdown", data: { totalPremiumRequests: 1 } },
  ];
  return `${lines.map((e, i) => JSON.stringify({ ...e, id: `e${i}`, timestamp: at(i) })).join("\n")}\n`;
}

const DIFF = `diff --git a/a.py b/a.py
index 1111111..2222222 100644
--- a/a.py
+++ b/a.py
@@ -1,2 +1,2 @@
-return a + b
+return a * b
 # end
`;

/** Write the run; returns its folder. */
export function writeHandMadeRun(root: string, spec: HandRunSpec): string {
  const experiment = spec.experiment ?? "hand-made";
  const started = new Date(spec.startedAt ?? "2026-01-02T03:04:05.000Z");
  const dir = runDirOf(root, experiment, spec.runId);
  const writer = new RunWriter(dir, Redactor.none).create();
  const prompts = new Map(spec.tasks.map((t) => [t.slug, t.prompt ?? `Fix ${t.slug}.`]));
  const counts: Record<string, number> = { planned: spec.trials.length, finished: spec.trials.length };
  for (const t of spec.trials) counts[t.status] = (counts[t.status] ?? 0) + 1;
  const record: RunRecord = {
    format_version: 1,
    run_id: spec.runId,
    status: spec.status ?? "completed",
    started_at: started.toISOString(),
    finished_at: new Date(started.getTime() + 60_000).toISOString(),
    experiment: {
      name: spec.experimentName ?? experiment,
      slug: experiment,
      description: null,
      file: "experiments/x.yaml",
      hash: "h",
    },
    definition: {
      name: spec.experimentName ?? experiment,
      tasks: spec.tasks.map((t) => ({ name: t.name ?? t.slug, prompt: prompts.get(t.slug), verify: "true" })),
    },
    variants: spec.variants.map((v) => ({
      slug: v.slug,
      name: v.name ?? v.slug,
      trials: 1,
      model: "gpt-test",
      reasoning_effort: null,
      context: v.context ?? {},
    })),
    tasks: spec.tasks.map((t) => ({ slug: t.slug, name: t.name ?? t.slug, graded: t.graded ?? true })),
    copilot: { version: "1.0.102", binary: null, source: "test", versions_ran: null },
    tool: { name: "copilot-experiments", version: "0.0.0", commit: null },
    host: { hostname: "test", platform: "linux", arch: "x64", cpus: 2, memory_gb: 4, bun: "1" },
    root_git_head: null,
    token_source: null,
    options: {
      concurrency: 1,
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
  for (const v of spec.variants) {
    writer.writeVariant({
      format_version: 1,
      slug: v.slug,
      name: v.name ?? v.slug,
      definition: { name: v.name ?? v.slug },
      context: v.context ?? {},
    });
    for (const t of spec.tasks) {
      writer.writeTask(v.slug, {
        format_version: 1,
        slug: t.slug,
        name: t.name ?? t.slug,
        definition: { name: t.name ?? t.slug, prompt: prompts.get(t.slug) },
      });
    }
  }
  for (const [i, t] of spec.trials.entries()) {
    writeTrial(writer, spec, t, new Date(started.getTime() + i * 1000), prompts.get(t.task) ?? "");
  }
  return dir;
}

function writeTrial(run: RunWriter, spec: HandRunSpec, t: HandTrial, start: Date, prompt: string): void {
  const writer = run.trial(t.variant, t.task, t.trial).create();
  const ran = t.status === "ok" || t.status === "timeout";
  const success =
    t.success !== undefined ? t.success : t.status === "ok" ? true : t.status === "timeout" ? false : null;
  const sessionId = ran || t.status === "interrupted" ? `sess-${t.variant}-${t.task}-${t.trial}` : null;
  const duration = t.durationS ?? 10 + t.trial;
  writer.writePrompt(prompt);
  if (t.metrics !== null && t.status !== "skipped") {
    writer.writeMetrics(fakeMetrics({ session_id: sessionId, ...t.metrics }));
  }
  if (sessionId) writer.writeStaged("events", events(sessionId, start));
  if (ran) {
    writer.writeDiff(DIFF);
    writer.writeVerify({
      format_version: 1,
      command: "python3 -m pytest -q",
      exit_code: success ? 0 : 1,
      success: Boolean(success),
      output: success ? "1 passed\n" : "FAILED test_a.py::test_mul - assert 3 == 2\n1 failed\n",
      duration_s: 0.4,
      timed_out: false,
      runs: [],
      flaky: Boolean(t.flaky),
    });
  }
  const error =
    t.error !== undefined
      ? t.error
      : t.status === "ok"
        ? success === false
          ? "verify failed (exit 1)"
          : null
        : `${t.status} (hand-made)`;
  const meta: TrialMeta = {
    format_version: 1,
    experiment: spec.experiment ?? "hand-made",
    run_id: spec.runId,
    variant: t.variant,
    task: t.task,
    trial: t.trial,
    status: t.status,
    error,
    error_artifact: error ? (ran ? ARTIFACTS.verify : ARTIFACTS.stdout) : null,
    success,
    flaky_verify: Boolean(t.flaky),
    session_id: sessionId,
    copilot_exit_code: t.status === "copilot_failed" ? 1 : ran ? 0 : null,
    copilot_signal: t.status === "timeout" ? "SIGTERM" : null,
    timed_out: t.status === "timeout",
    started_at: start.toISOString(),
    finished_at: new Date(start.getTime() + duration * 1000).toISOString(),
    duration_s: duration,
    copilot_duration_s: ran ? duration - 1 : null,
    baseline_commit: "0123456789abcdef0123456789abcdef01234567",
    command: ["-p", "<prompt.md>"],
    secret_env_vars: [],
    attempts: [],
  };
  writer.writeMeta(meta);
}

/** The id of the hand-made run with every trial status. */
export const ALL_STATUSES_RUN_ID = "20260102T030405Z_a11a11";

/**
 * Two variants × two tasks, covering every status: ok (passed and failed), copilot_failed,
 * timeout, harness_error, interrupted, skipped; one flaky verification; a prompt with commas,
 * quotes and newlines; a variant with context additions.
 */
export function writeAllStatusesRun(root: string, runId = ALL_STATUSES_RUN_ID): string {
  return writeHandMadeRun(root, {
    runId,
    experimentName: "Every status",
    experiment: "every-status",
    startedAt: "2026-01-02T03:04:05.000Z",
    status: "partial",
    variants: [
      { slug: "base", name: "base line" },
      {
        slug: "tuned",
        name: "tuned, with instructions",
        context: {
          instructions: { path: ".github/copilot-instructions.md", sha256: "ab12cd34", bytes: 52 },
          overlay: {
            path: "variants/strict",
            files: [{ path: "AGENTS.md", sha256: "ef56ab78", bytes: 120 }],
          },
        },
      },
    ],
    tasks: [
      {
        slug: "alpha",
        prompt: 'Fix "multiply", then divide.\nDo not, under any circumstances, touch tests.\n',
      },
      { slug: "beta", prompt: "Make beta pass." },
    ],
    trials: [
      { variant: "base", task: "alpha", trial: 1, status: "ok", metrics: { aiu: 0.4, total_tokens: 5000 } },
      {
        variant: "base",
        task: "alpha",
        trial: 2,
        status: "ok",
        success: false,
        metrics: { aiu: 0.6, total_tokens: 7000 },
      },
      {
        variant: "base",
        task: "beta",
        trial: 1,
        status: "copilot_failed",
        error: "copilot exited 1: 401 Unauthorized",
        metrics: null,
      },
      {
        variant: "base",
        task: "beta",
        trial: 2,
        status: "timeout",
        metrics: { aiu: 1.5, total_tokens: 20000 },
      },
      {
        variant: "tuned",
        task: "alpha",
        trial: 1,
        status: "ok",
        flaky: true,
        metrics: { aiu: 0.3, total_tokens: 4000 },
      },
      {
        variant: "tuned",
        task: "alpha",
        trial: 2,
        status: "harness_error",
        error: "setup failed: pip install",
        metrics: null,
      },
      { variant: "tuned", task: "beta", trial: 1, status: "interrupted", metrics: null },
      { variant: "tuned", task: "beta", trial: 2, status: "skipped", error: "budget of 2 AIU reached" },
    ],
  });
}
