/**
 * One row of the compatibility matrix (docs/compatibility.md): run a small experiment — the
 * bundled fixer plus an instructions, a custom-agent and an MCP variant, all against the scripted
 * provider — with one Copilot CLI, and check what the harness depends on.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import {
  FEATURES,
  type FeatureId,
  feature,
  hasFeature,
  missingFeatures,
  requiredFeatures,
} from "../src/copilot/capabilities.ts";
import { probeCopilot } from "../src/copilot/probe.ts";
import { loadExperiments } from "../src/experiment/load.ts";

export const PROJECT_ROOT = resolve(import.meta.dir, "..");

export const CHECKS = {
  runs: "runs",
  session: "session parsed",
  tokens: "tokens = scripted usage",
  otel: "OTel present",
  instructions: "instructions reach the model",
  agent: "custom agent reaches the model",
  mcp: "MCP tool reaches the model",
} as const;
export type CheckId = keyof typeof CHECKS;

export interface CompatRow {
  version: string;
  /** Features the CLI's help documents (`--help`, `help environment`). */
  features: Record<FeatureId, boolean | null>;
  /** null when preflight refused the CLI (then `refused` says why). */
  checks: Record<CheckId, boolean> | null;
  refused?: string;
  notes: string[];
}

const INSTRUCTIONS_MARKER = "COMPAT-INSTRUCTIONS-5150";
const AGENT_MARKER = "COMPAT-AGENT-8086";

const EXPERIMENT = `name: Compat
task:
  name: fix-multiply
  prompt: The multiply tests fail. Fix calculator.py.
  fixture: fixtures/calculator
  verify: python3 -m unittest -q test_calculator.MultiplyTest
  timeout_s: 300
variants:
  - name: fixer
    provider: {script: experiments/scripts/fixer.yaml}
  - name: instructions
    provider: {script: idle}
    instructions: "${INSTRUCTIONS_MARKER}: keep the diff small."
  - name: agent
    provider: {script: idle}
    overlay: overlays/agent
    agent: compat-agent
  - name: mcp
    provider: {script: scripts/mcp.yaml}
    mcp_servers:
      magic:
        type: stdio
        command: "\${BUN_EXECUTABLE}"
        args: ["\${MCP_SERVER}"]
        tools: ["*"]
`;

const AGENT = `---
name: compat-agent
description: The compatibility matrix's custom agent.
---
You are the compat agent. ${AGENT_MARKER}. Answer briefly.
`;

const MCP_SCRIPT = `steps:
  - tool: magic-lookup
    args: {topic: compat}
  - message: The magic word is xyzzy.
`;

/** An experiment root for the matrix, in `dir`. */
export function writeCompatRoot(dir: string): string {
  mkdirSync(join(dir, "experiments", "scripts"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "fixtures", "calculator"), join(dir, "fixtures", "calculator"), {
    recursive: true,
  });
  cpSync(
    join(PROJECT_ROOT, "experiments", "scripts", "fixer.yaml"),
    join(dir, "experiments", "scripts", "fixer.yaml"),
  );
  writeFileSync(join(dir, "experiments", "compat.yaml"), EXPERIMENT);
  mkdirSync(join(dir, "overlays", "agent", ".github", "agents"), { recursive: true });
  writeFileSync(join(dir, "overlays", "agent", ".github", "agents", "compat-agent.agent.md"), AGENT);
  mkdirSync(join(dir, "scripts"), { recursive: true });
  writeFileSync(join(dir, "scripts", "mcp.yaml"), MCP_SCRIPT);
  cpSync(join(PROJECT_ROOT, "test", "fixtures", "mcp-magic-server.js"), join(dir, "mcp-server.js"));
  return dir;
}

/** The fixer script's usage for fix-multiply, summed: what the session must report. */
export function scriptedUsage(): { input: number; cached: number; output: number; steps: number } {
  const script = parse(readFileSync(join(PROJECT_ROOT, "experiments", "scripts", "fixer.yaml"), "utf8")) as {
    tasks: Record<string, { usage?: { input?: number; cached?: number; output?: number } }[]>;
  };
  const steps = script.tasks["fix-multiply"]!;
  const sum = (k: "input" | "cached" | "output") => steps.reduce((n, s) => n + (s.usage?.[k] ?? 0), 0);
  return { input: sum("input"), cached: sum("cached"), output: sum("output"), steps: steps.length };
}

async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  const proc = Bun.spawn([process.execPath, join(PROJECT_ROOT, "src", "cli", "main.ts"), ...args], {
    env,
    stdout: "ignore",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr };
}

const readJson = (path: string) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined);

/** Probe, then (unless preflight would refuse it) run the matrix experiment with `binary`. */
export async function checkCopilot(opts: { binary: string; workDir: string }): Promise<CompatRow> {
  const env = { ...(process.env as Record<string, string>), NO_COLOR: "1", CI: "true" };
  const probe = await probeCopilot(opts.binary, env, { isolate: true });
  const features = Object.fromEntries(
    (Object.keys(FEATURES) as FeatureId[]).map((id) => [id, hasFeature(probe, feature(id)) ?? null]),
  ) as Record<FeatureId, boolean | null>;
  const root = writeCompatRoot(opts.workDir);
  const log = join(opts.workDir, "requests.jsonl");
  const runEnv = {
    ...env,
    COPILOT_EXPERIMENTS_SCRIPTED_LOG: log,
    MCP_SERVER: join(root, "mcp-server.js"),
    BUN_EXECUTABLE: process.execPath,
  };
  const experiments = loadExperiments(root, [], runEnv);
  const missing = missingFeatures(probe, requiredFeatures(experiments, { allScripted: false }));
  const run = await runCli(["run", "--root", root, "--copilot", opts.binary, "--concurrency", "4"], runEnv);
  if (missing.length > 0 || run.code === 2) {
    const notes: string[] = [];
    if (run.code !== 2) notes.push(`expected exit 2 from preflight, got ${run.code}`);
    if (existsSync(join(root, "results"))) notes.push("a results folder was created before the refusal");
    const lacks = missing.map((m) => m.feature.label).join(", ");
    const refused = lacks
      ? `refused by preflight (exit 2, no workspace): lacks ${lacks}`
      : run.stderr.trim().split("\n")[0]!;
    return { version: probe.version, features, checks: null, refused, notes };
  }

  const runsDir = join(root, "results", "compat");
  const [runId] = readdirSync(runsDir);
  const trial = (variant: string, file: string) =>
    join(runsDir, runId!, "variants", variant, "tasks", "fix-multiply", "trials", "001", file);
  const variants = ["fixer", "instructions", "agent", "mcp"];
  const metas = variants.map((v) => readJson(trial(v, "meta.json")));
  const analyses = variants.map((v) => readJson(trial(v, "analysis.json")));
  const requests = existsSync(log)
    ? readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map(
          (l) =>
            JSON.parse(l) as {
              key: string;
              body: { messages: unknown[]; tools?: { function: { name: string } }[] };
            },
        )
    : [];
  const textOf = (v: string) =>
    JSON.stringify(requests.filter((r) => r.key === v).map((r) => r.body.messages));
  const usage = scriptedUsage();
  const fixer = analyses[0]?.economics;
  const notes: string[] = [];
  const tokens =
    fixer?.input_tokens_total === usage.input &&
    fixer?.cache_read_tokens === usage.cached &&
    fixer?.output_tokens === usage.output;
  if (fixer && !tokens) {
    notes.push(
      `tokens: input ${fixer.input_tokens_total}/${usage.input}, cached ${fixer.cache_read_tokens}/${usage.cached}, output ${fixer.output_tokens}/${usage.output}`,
    );
  }
  const mcpTools = requests.find((r) => r.key === "mcp")?.body.tools?.map((t) => t.function.name) ?? [];
  const checks: Record<CheckId, boolean> = {
    runs: run.code === 0 && metas.every((m) => m?.status === "ok") && metas[0]?.success === true,
    session: analyses.every((a) => a?.copilot_version === probe.version && a.n_turns > 0),
    tokens: !!tokens,
    otel:
      existsSync(trial("fixer", "copilot-otel.jsonl")) &&
      readFileSync(trial("fixer", "copilot-otel.jsonl"), "utf8").trim() !== "" &&
      analyses[0]?.n_llm_calls === usage.steps,
    instructions:
      textOf("instructions").includes(INSTRUCTIONS_MARKER) && !textOf("fixer").includes(INSTRUCTIONS_MARKER),
    agent: textOf("agent").includes(AGENT_MARKER) && !textOf("fixer").includes(AGENT_MARKER),
    mcp: mcpTools.includes("magic-lookup") && textOf("mcp").includes("xyzzy"),
  };
  if (!checks.runs) {
    notes.push(`statuses: ${metas.map((m, i) => `${variants[i]}=${m?.status ?? "missing"}`).join(", ")}`);
  }
  return { version: probe.version, features, checks, notes };
}

const mark = (v: boolean | null | undefined) => (v === null || v === undefined ? "?" : v ? "✓" : "✗");

/** The matrix row of a version, as docs/compatibility.md shows it. */
export function renderMatrixRow(row: CompatRow, published?: string): string {
  const cells = row.checks
    ? (Object.keys(CHECKS) as CheckId[]).map((id) => mark(row.checks![id]))
    : (Object.keys(CHECKS) as CheckId[]).map(() => "–");
  const notes = [row.refused, ...row.notes].filter(Boolean).join("; ");
  return `| ${row.version} | ${published ?? ""} | ${cells.join(" | ")} | ${notes} |`;
}

export function renderMatrixHeader(): string {
  const heads = Object.values(CHECKS);
  return `| version | published | ${heads.join(" | ")} | notes |\n| --- | --- | ${heads.map(() => ":-:").join(" | ")} | --- |`;
}

/** The features row of a version (what its help documents). */
export function renderFeatureRow(row: CompatRow): string {
  return `| ${row.version} | ${(Object.keys(FEATURES) as FeatureId[]).map((id) => mark(row.features[id])).join(" | ")} |`;
}

export function renderFeatureHeader(): string {
  const ids = Object.keys(FEATURES) as FeatureId[];
  const name = (id: FeatureId) => {
    const probe: { flag: string } | { env: string } = FEATURES[id].probe;
    return "flag" in probe ? `\`${probe.flag}\`` : `\`${probe.env}\``;
  };
  return `| version | ${ids.map(name).join(" | ")} |\n| --- | ${ids.map(() => ":-:").join(" | ")} |`;
}

/** Every feature preflight checks: what it is, how it is probed, and the first version with it. */
export function renderFeatureTable(): string {
  const lines = ["| feature | probed in | first version | source |", "| --- | --- | --- | --- |"];
  for (const id of Object.keys(FEATURES) as FeatureId[]) {
    const f = feature(id);
    const where =
      "flag" in f.probe ? `\`--help\`: \`${f.probe.flag}\`` : `\`help environment\`: \`${f.probe.env}\``;
    const source =
      f.evidence === "changelog" ? "the CLI's changelog" : "probed (`scripts/compat.ts --probe`)";
    lines.push(`| ${f.label} | ${where} | ${f.since} | ${source} |`);
  }
  return lines.join("\n");
}
