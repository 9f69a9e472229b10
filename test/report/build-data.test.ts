import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildReportData, contextItems } from "../../src/report/build-data.ts";
import { escapeHtml, inlineScript, jsonForScript, renderReportHtml } from "../../src/report/html.ts";
import { writeReport } from "../../src/report/write.ts";
import { loadRun } from "../../src/store/reader.ts";
import { RunRecordSchema, TrialMetaSchema, VerifyResultSchema } from "../../src/store/schema.ts";
import { SessionAnalysisSchema, TrialMetricsSchema } from "../../src/store/session-schema.ts";
import type { RunSummary } from "../../src/store/summary-schema.ts";
import { HOSTILE, writeSyntheticRun } from "../helpers/synthetic-run.ts";
import { tempDir } from "../helpers/tmp.ts";

/** Data building, escaping and robustness of the report, without a browser. */

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const NO_ENV = {};

function smallRun(extra: Partial<Parameters<typeof writeSyntheticRun>[0]> = {}): string {
  return writeSyntheticRun({
    root: tempDir("cx-report-"),
    variants: 3,
    tasks: 3,
    trialsPerCell: 3,
    seed: 11,
    ...extra,
  });
}

describe("jsonForScript", () => {
  test("nothing can close the script element or open a comment, and the value round-trips", () => {
    const value = { a: HOSTILE, b: "x\u2028y\u2029z", c: "a & b > c", nested: [`</SCRIPT >`, "<!-- -->"] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<\/script/i);
    expect(text).not.toContain("<!--");
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  test("escapeHtml and inlineScript", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const js = inlineScript(`const s = "</script><!-- </SCRIPT>";`);
    expect(js).not.toMatch(/<\/script/i);
    expect(js).not.toContain("<!--");
    // Still the same string for JavaScript.
    expect(new Function(`${js}; return s;`)()).toBe("</script><!-- </SCRIPT>");
  });
});

describe("synthetic results tree", () => {
  test("is valid against the artifact schemas, deterministic for a seed, and has every status", () => {
    const a = smallRun();
    const b = smallRun();
    const record = RunRecordSchema.parse(readJson(join(a, "run.json")));
    const run = loadRun(a);
    expect(run.trials).toHaveLength(27);
    expect(new Set(run.trials.map((t) => t.meta.status))).toEqual(
      new Set(["ok", "copilot_failed", "timeout", "harness_error", "interrupted", "skipped"]),
    );
    for (const t of run.trials) {
      TrialMetaSchema.parse(readJson(join(t.dir, "meta.json")));
      if (existsSync(join(t.dir, "metrics.json")))
        TrialMetricsSchema.parse(readJson(join(t.dir, "metrics.json")));
      if (existsSync(join(t.dir, "analysis.json")))
        SessionAnalysisSchema.parse(readJson(join(t.dir, "analysis.json")));
      if (existsSync(join(t.dir, "verify.json")))
        VerifyResultSchema.parse(readJson(join(t.dir, "verify.json")));
    }
    const summary = readJson(join(a, "summary.json")) as RunSummary;
    expect(summary.run_id).toBe(record.run_id);
    expect(summary.overall.n_trials).toBe(27);
    // Same seed, same tree (modulo the summary's generation time).
    const rel = (dir: string, t: (typeof run.trials)[number]) => t.dir.slice(dir.length);
    const runB = loadRun(b);
    expect(runB.trials.map((t) => [rel(b, t), t.meta, t.metrics])).toEqual(
      run.trials.map((t) => [rel(a, t), t.meta, t.metrics]),
    );
    expect(readFileSync(join(b, run.trials[0]!.dir.slice(a.length), "workspace.diff"), "utf8")).toBe(
      readFileSync(join(run.trials[0]!.dir, "workspace.diff"), "utf8"),
    );
  });

  test("diffLines sets the size of workspace.diff", () => {
    const dir = smallRun({ statuses: "ok", diffLines: 300, variants: 1, tasks: 1, trialsPerCell: 1 });
    const diff = readFileSync(join(loadRun(dir).trials[0]!.dir, "workspace.diff"), "utf8");
    const lines = diff.split("\n").length;
    expect(lines).toBeGreaterThan(250);
    expect(lines).toBeLessThan(350);
  });
});

describe("buildReportData", () => {
  test("variant rows are summary.json's, trial rows are the trials on disk", () => {
    const dir = smallRun();
    const summary = readJson(join(dir, "summary.json")) as RunSummary;
    const run = loadRun(dir);
    const { data, details } = buildReportData(dir, { env: NO_ENV });
    expect(data.summary_source).toBe("summary.json");
    expect(data.variants.map((v) => v.slug)).toEqual(summary.variants.map((v) => v.variant));
    for (const [i, v] of data.variants.entries()) {
      const { tasks, ...row } = summary.variants[i]!;
      expect(v.summary).toEqual(row);
      for (const t of tasks) expect(v.cells[t.task]!.n_success).toBe(t.n_success);
    }
    expect(data.overall).toEqual(summary.overall);
    expect(data.trials).toHaveLength(run.trials.length);
    expect(details).toHaveLength(run.trials.length);
    expect(data.trials.map((t) => [t.variant, t.task, t.trial, t.status, t.success])).toEqual(
      run.trials.map((t) => [t.meta.variant, t.meta.task, t.meta.trial, t.meta.status, t.meta.success]),
    );
    const counts = Object.fromEntries(Object.entries(data.run.status_counts).filter(([, n]) => n > 0));
    const expected: Record<string, number> = {};
    for (const t of run.trials) expected[t.meta.status] = (expected[t.meta.status] ?? 0) + 1;
    expect(counts).toEqual(expected);
    expect(data.cost_basis).toBe("aiu");
    // Token mix: means over trials that ran.
    const ran = run.trials.filter(
      (t) => t.meta.variant === data.variants[0]!.slug && ["ok", "timeout"].includes(t.meta.status),
    );
    const mean = ran.reduce((a, t) => a + (t.metrics!.output_tokens as number), 0) / ran.length;
    expect(data.variants[0]!.token_mix!.output).toBeCloseTo(mean, 1);
    expect(data.variants[0]!.token_mix!.n).toBe(ran.length);
  });

  test("cost falls back to tokens when sessions report no AIU", () => {
    const { data } = buildReportData(smallRun({ aiu: "unknown" }), { env: NO_ENV });
    expect(data.cost_basis).toBe("tokens");
    expect(data.variants.every((v) => v.summary!.avg_aiu === null)).toBe(true);
  });

  test("trial details: metrics, verify, turns, artifacts, paths relative to the report", () => {
    const dir = smallRun();
    const { data, details } = buildReportData(dir, { env: NO_ENV });
    const i = data.trials.findIndex((t) => t.status === "ok" && t.success === false);
    const d = details[i]!;
    const row = data.trials[i]!;
    expect(d.path).toBe(
      `variants/${row.variant}/tasks/${row.task}/trials/${String(row.trial).padStart(3, "0")}`,
    );
    expect(d.verify!.success).toBe(false);
    expect(d.verify!.output).toContain("1 failed");
    expect(d.turns.length).toBe(row.n_turns!);
    expect(d.metrics!.total_tokens).toBe(row.total_tokens);
    expect(d.artifacts).toEqual(expect.arrayContaining(["meta.json", "workspace.diff", "verify.json"]));
    expect(d.diff!.truncated).toBe(false);
    expect(d.diff!.path).toBe(`${d.path}/workspace.diff`);
    // A skipped trial has no session: no metrics, no notes about missing analysis.
    const s = data.trials.findIndex((t) => t.status === "skipped");
    expect(details[s]!.metrics).toBeNull();
    expect(details[s]!.notes).toEqual([]);
    // Written elsewhere, paths climb back to the run.
    const elsewhere = buildReportData(dir, { env: NO_ENV, reportDir: join(dir, "..", "..", "shared") });
    expect(elsewhere.details[i]!.path).toMatch(/^\.\.\/synthetic\/[^/]+\/variants\//);
  });

  test("large diffs are cut at a line, with the size and lines of the whole file", () => {
    const dir = smallRun({ statuses: "ok", diffLines: 2000, variants: 1, tasks: 1, trialsPerCell: 1 });
    const full = readFileSync(join(loadRun(dir).trials[0]!.dir, "workspace.diff"), "utf8");
    const { details } = buildReportData(dir, { env: NO_ENV, maxDiffBytes: 10_000 });
    const diff = details[0]!.diff!;
    expect(diff.truncated).toBe(true);
    expect(diff.total_bytes).toBe(Buffer.byteLength(full));
    expect(diff.total_lines).toBe(full.split("\n").length - 1);
    expect(Buffer.byteLength(diff.text)).toBeLessThanOrEqual(10_000);
    expect(diff.text.endsWith("\n")).toBe(true);
    expect(full.startsWith(diff.text)).toBe(true);
  });

  test("values of secret-looking variables in the environment are scrubbed from every string", () => {
    const dir = smallRun({ variants: 1, tasks: 1, trialsPerCell: 2, statuses: "ok" });
    const secret = "sk-planted-secret-8c1d";
    const verifyPath = join(loadRun(dir).trials[0]!.dir, "verify.json");
    const verify = readJson(verifyPath);
    writeFileSync(verifyPath, JSON.stringify({ ...verify, output: `token=${secret}\n` }));
    const built = buildReportData(dir, { env: { MY_SERVICE_API_KEY: secret, HOME: "/home/x" } });
    const text = JSON.stringify(built);
    expect(text).not.toContain(secret);
    expect(built.details[0]!.verify!.output).toContain("token=***redacted***");
    // Without the variable in the environment, the text is as on disk.
    expect(JSON.stringify(buildReportData(dir, { env: NO_ENV }))).toContain(secret);
  });

  test("contextItems reads the recorded shape and older ones", () => {
    expect(
      contextItems({
        instructions: { path: ".github/copilot-instructions.md", sha256: "ab", bytes: 52 },
        overlay: { path: "variants/strict", files: [{ path: "AGENTS.md", sha256: "cd", bytes: 1 }] },
        copilot_home: { path: "homes/a", files: [] },
        mcp_servers: ["github", "files"],
        agent: "reviewer",
      }),
    ).toEqual([
      { key: "instructions", value: ".github/copilot-instructions.md (52 B)" },
      { key: "overlay", value: "variants/strict: AGENTS.md" },
      { key: "copilot_home", value: "homes/a: (empty)" },
      { key: "mcp_servers", value: "github, files" },
      { key: "agent", value: "reviewer" },
    ]);
    expect(contextItems({ instructions: true })).toEqual([{ key: "instructions", value: "" }]);
    expect(contextItems(undefined)).toEqual([]);
  });
});

describe("partial and damaged runs still get a report", () => {
  test("missing summary.json, analysis.json and a damaged metrics.json", () => {
    const dir = smallRun();
    rmSync(join(dir, "summary.json"));
    const run = loadRun(dir);
    const ok = run.trials.find((t) => t.meta.status === "ok")!;
    rmSync(join(ok.dir, "analysis.json"));
    const other = run.trials.filter((t) => t.meta.status === "ok")[1]!;
    writeFileSync(join(other.dir, "verify.json"), "{ not json");
    const { data, details } = buildReportData(dir, { env: NO_ENV });
    expect(data.summary_source).toBe("computed");
    expect(data.variants[0]!.summary!.n_trials).toBeGreaterThan(0);
    const i = run.trials.indexOf(ok);
    expect(details[i]!.notes).toContain("analysis.json is missing");
    expect(details[i]!.turns).toEqual([]);
    expect(details[run.trials.indexOf(other)]!.notes.join(" ")).toContain("verify.json is unreadable");
  });

  test("an interrupted run with trials that never wrote meta.json", () => {
    const dir = smallRun({ runStatus: "interrupted" });
    const run = loadRun(dir);
    rmSync(join(run.trials.at(-1)!.dir, "meta.json"));
    const path = writeReport(dir);
    expect(path).toBe(join(dir, "report.html"));
    const { data } = buildReportData(dir, { env: NO_ENV });
    expect(data.run.status).toBe("interrupted");
    expect(data.run.finished).toBe(run.trials.length - 1);
    expect(data.run.planned).toBe(run.trials.length);
  });

  test("run.json of another version's shape: the trials are still shown", () => {
    const dir = smallRun();
    const record = readJson(join(dir, "run.json"));
    record.variants[0].context = { instructions: true, overlay: "variants/old" };
    writeFileSync(join(dir, "run.json"), JSON.stringify(record));
    const { data } = buildReportData(dir, { env: NO_ENV });
    expect(data.trials).toHaveLength(27);
    expect(data.notes.join(" ")).toContain("does not fully match");
    expect(data.variants[0]!.context).toEqual([
      { key: "instructions", value: "" },
      { key: "overlay", value: "variants/old" },
    ]);
  });

  test("a summary.json of an unexpected shape is recomputed", () => {
    const dir = smallRun();
    writeFileSync(join(dir, "summary.json"), JSON.stringify({ overall: {}, variants: [null] }));
    const { data } = buildReportData(dir, { env: NO_ENV });
    expect(data.summary_source).toBe("computed");
    expect(data.notes).toContain("summary.json has an unexpected shape: recomputed from the trials.");
    expect(data.variants[0]!.summary!.n_trials).toBe(9);
  });

  test("no run.json, an empty folder, a folder that does not exist", () => {
    const dir = smallRun();
    rmSync(join(dir, "run.json"));
    expect(existsSync(writeReport(dir))).toBe(true);
    const built = buildReportData(dir, { env: NO_ENV });
    expect(built.data.trials).toEqual([]);
    expect(built.data.notes[0]).toContain("run.json is missing");
    const empty = tempDir("cx-empty-");
    expect(readdirSync(empty)).toEqual([]);
    expect(existsSync(writeReport(empty))).toBe(true);
    expect(buildReportData(join(empty, "nope"), { env: NO_ENV }).data.run.status).toBe("unknown");
  });
});

describe("report.html", () => {
  test("hostile strings never become markup: only the page's own script elements exist", () => {
    const dir = smallRun({ hostile: true });
    const built = buildReportData(dir, { env: NO_ENV });
    const html = renderReportHtml(built);
    // Three scripts of the page (data, diff2html, client) and one data block per trial.
    expect(html.match(/<script\b/gi)).toHaveLength(3 + built.details.length);
    expect(html.match(/<\/script>/gi)).toHaveLength(3 + built.details.length);
    // (Assertions on booleans: a failure must not print a 100 kB page.)
    expect(html.includes("<img")).toBe(false);
    expect(html.includes("<!--")).toBe(false);
    // The strings are in the data, escaped.
    expect(html.includes("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)")).toBe(true);
    const block = html.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1]!;
    expect(JSON.parse(block).variants[0].name).toContain(HOSTILE);
  });

  test("nothing points outside the file: no URL but XML namespaces, a CSP that forbids fetching", () => {
    const html = renderReportHtml(buildReportData(smallRun(), { env: NO_ENV }));
    const urls = [...new Set(html.match(/\b(?:https?|ftp|wss?):\/\/[^\s"'<>)]+/gi) ?? [])];
    expect(urls.sort()).toEqual(["http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg"]);
    expect(/@import|url\(/i.test(html)).toBe(false);
    expect(/<(link|iframe|object|embed|img)\b/i.test(html)).toBe(false);
    const csp = html
      .match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)![1]!
      .replaceAll("&#39;", "'");
    const directives = Object.fromEntries(
      csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]),
    );
    expect(directives["default-src"]).toEqual(["'none'"]);
    // Scripts only by hash: an injected <script> or onerror= attribute would not run.
    expect(directives["script-src"]!.length).toBe(2);
    for (const source of directives["script-src"]!) expect(source).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
  });

  test("writeReport writes atomically where asked and returns the path", () => {
    const dir = smallRun();
    const out = join(tempDir("cx-out-"), "nested", "r.html");
    expect(writeReport(dir, { out })).toBe(out);
    expect(readFileSync(out, "utf8")).toStartWith("<!doctype html>");
    expect(readdirSync(join(out, "..")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(existsSync(join(dir, "report.html"))).toBe(false);
  });
});
