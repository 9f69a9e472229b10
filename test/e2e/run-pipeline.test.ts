import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, sep } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import { COPILOT, copyExampleRoot } from "../helpers/example-root.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, the compiled binary): a minute per test unless it says otherwise.
setDefaultTimeout(60_000);

/**
 * The trial pipeline end to end with the real Copilot CLI (dev dependency) against the built-in
 * scripted provider: one run, five variants, each exercising one outcome.
 */

const SECRETS = {
  HARNESS_API_KEY: "inherited-secret-value-4f6a",
  PROVIDER_SECRET: "provider-secret-value-78b9",
  INTERP_SECRET: "interpolated-secret-value-c0de",
  GITHUB_TOKEN: "github_pat_fake_token_value_9e1f",
};
const VARIANT_SECRET = "variant-env-secret-value-a11ce";

const EXPERIMENT = `name: Pipeline
tasks:
  - name: fix-multiply
    prompt: The multiply tests fail. Fix calculator.py.
    fixture: fixtures/calculator
    verify: python3 -m unittest -q test_calculator.MultiplyTest
    timeout_s: 120
variants:
  - name: fixer
    provider: {script: experiments/scripts/fixer.yaml}
  - name: idle
    provider: {script: idle}
  - name: failtool
    provider: {script: scripts/failtool.yaml}
  - name: bad-flag
    provider: {script: idle}
    extra_args: ["--no-such-flag"]
  - name: leaker
    provider: {script: scripts/leak.yaml, api_key: "\${PROVIDER_SECRET}"}
    env: {VARIANT_SECRET_TOKEN: "${VARIANT_SECRET}", PLAIN_FROM_ENV: "\${INTERP_SECRET}"}
`;

const FAILTOOL = `steps:
  - tool: view
    args: {path: does-not-exist.py}
  - tool: bash
    args: {command: "exit 3", description: "fail on purpose"}
  - message: "One tool failed, one command failed."
`;

const LEAK = `steps:
  - tool: bash
    args:
      description: try to print every secret
      command: >-
        echo "K=$HARNESS_API_KEY V=$VARIANT_SECRET_TOKEN P=$PLAIN_FROM_ENV G=$GITHUB_TOKEN C=$COPILOT_PROVIDER_API_KEY";
        env | sort; echo leaked > leak.txt; env >> leak.txt
  - tool: bash
    args:
      description: read the agent's own environment (may be refused by path checks)
      command: "cat /proc/$PPID/environ | tr '\\0' '\\n'"
  - message: "K=${SECRETS.HARNESS_API_KEY} in my answer"
`;

let root: string;
let runDir: string;
let run: { code: number; stdout: string; stderr: string };

const trial = (variant: string, file: string) =>
  join(runDir, "variants", variant, "tasks", "fix-multiply", "trials", "001", file);
const meta = (variant: string) => JSON.parse(readFileSync(trial(variant, "meta.json"), "utf8"));
const json = (variant: string, file: string) => JSON.parse(readFileSync(trial(variant, file), "utf8"));

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? allFiles(path) : [path];
  });
}

beforeAll(async () => {
  root = copyExampleRoot();
  writeTree(root, {
    "experiments/calculator.yaml": EXPERIMENT,
    "scripts/failtool.yaml": FAILTOOL,
    "scripts/leak.yaml": LEAK,
  });
  run = await runCli(["run", "--root", root, "--copilot", COPILOT, "--concurrency", "3"], {
    env: SECRETS,
  });
  const runs = readdirSync(join(root, "results", "pipeline"));
  runDir = join(root, "results", "pipeline", runs[0]!);
}, 180_000);

describe("run with the real Copilot CLI", () => {
  test("the run completes and reports every trial", () => {
    expect(run.stderr).toContain("Pipeline: run");
    expect(run.code).toBe(0);
    const record = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(record.copilot.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(record.counts.planned).toBe(5);
    expect(record.counts.finished).toBe(5);
  });

  test("a fixing script: ok, verify passes, diff, session log, OTel, metrics", () => {
    const m = meta("fixer");
    expect(m.status).toBe("ok");
    expect(m.success).toBe(true);
    expect(m.copilot_exit_code).toBe(0);
    expect(readFileSync(trial("fixer", "workspace.diff"), "utf8")).toContain("+    return a * b");
    expect(statSync(trial("fixer", "events.jsonl")).size).toBeGreaterThan(0);
    expect(statSync(trial("fixer", "copilot-otel.jsonl")).size).toBeGreaterThan(0);
    expect(existsSync(trial("fixer", "session.md"))).toBe(true);
    expect(readFileSync(trial("fixer", "prompt.md"), "utf8")).toContain("Fix calculator.py");
    const metrics = json("fixer", "metrics.json");
    expect(metrics.n_turns).toBe(4);
    expect(metrics.n_tool_calls).toBe(3);
    expect(metrics.tool_calls_by_name).toEqual({ view: 1, edit: 1, bash: 1 });
    expect(metrics.diff_files).toBe(1);
    expect(metrics.diff_lines_added).toBe(1);
    expect(metrics.diff_lines_removed).toBe(1);
    expect(metrics.aiu).toBeNull(); // BYOK: cost unknown, not zero
    const verify = json("fixer", "verify.json");
    expect(verify).toMatchObject({ exit_code: 0, success: true, timed_out: false, flaky: false });
    expect(verify.runs).toHaveLength(1);
    // A trial that passed keeps its diff, not its workspace, by default (ADR 0017).
    expect(existsSync(trial("fixer", "workspace"))).toBe(false);
  });

  test("a failed trial keeps its workspace: an ordinary repository that outlives the run's snapshot", async () => {
    expect(meta("idle").success).toBe(false);
    const workspace = trial("idle", "workspace");
    expect(existsSync(join(workspace, "calculator.py"))).toBe(true);
    expect(existsSync(join(workspace, ".git/objects/info/alternates"))).toBe(false);
    expect(readdirSync(runDir).filter((n) => n.startsWith("."))).toEqual([]);
    const git = (...args: string[]) =>
      Bun.spawnSync(["git", "-C", workspace, ...args], { env: { PATH: process.env.PATH } });
    expect(git("fsck", "--full", "--no-dangling").exitCode).toBe(0);
    expect(git("rev-parse", "HEAD").stdout.toString().trim()).toBe(meta("idle").baseline_commit);
    expect(git("status", "--porcelain").stdout.toString()).toBe("");
  });

  test("an idle script: ok, but verify fails and the diff is empty", () => {
    const m = meta("idle");
    expect(m.status).toBe("ok");
    expect(m.success).toBe(false);
    expect(m.error_artifact).toBe("verify.json");
    expect(readFileSync(trial("idle", "workspace.diff"), "utf8")).toBe("");
    expect(json("idle", "verify.json").exit_code).not.toBe(0);
  });

  test("a failing tool call is counted as a tool failure; a failing command is not", () => {
    const metrics = json("failtool", "metrics.json");
    expect(metrics.n_tool_calls).toBe(2);
    expect(metrics.n_tool_failures).toBe(1);
  });

  test("a Copilot that exits non-zero is copilot_failed, and the run goes on", () => {
    const m = meta("bad-flag");
    expect(m.status).toBe("copilot_failed");
    expect(m.copilot_exit_code).not.toBe(0);
    expect(m.success).toBeNull();
    expect(m.error).toContain("Copilot failed (exit");
    expect(m.error_artifact).toBe("stdout.txt");
    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
    expect(summary.overall.n_failed_trials).toBe(1);
    // Infrastructure failures are not counted as unsolved: 5 trials, 4 graded.
    expect(summary.overall.n_graded).toBe(4);
  });

  test("every flag reaches Copilot: argument array and secret names", () => {
    const m = meta("leaker");
    expect(m.command.slice(0, 4)).toEqual(["-p", "<prompt.md>", "--output-format", "json"]);
    expect(m.command).toContain("--no-auto-update");
    expect(m.command).toContain("--allow-all-tools");
    expect(m.command[m.command.indexOf("-C") + 1]).toBe(trial("leaker", "workspace"));
    const secretArg = m.command.find((a: string) => a.startsWith("--secret-env-vars="));
    for (const name of [
      "HARNESS_API_KEY",
      "VARIANT_SECRET_TOKEN",
      "PLAIN_FROM_ENV",
      "COPILOT_PROVIDER_API_KEY",
      "PROVIDER_SECRET",
      "INTERP_SECRET",
    ]) {
      expect(secretArg).toContain(name);
    }
    // Inherited GitHub tokens are not passed to a BYOK agent at all.
    expect(secretArg).not.toContain("GITHUB_TOKEN");
  });

  test("no secret reaches any file under results/, even when the model tries to print them", () => {
    expect(existsSync(trial("leaker", "workspace/leak.txt"))).toBe(true);
    const secrets = [...Object.values(SECRETS), VARIANT_SECRET];
    const leaks: string[] = [];
    for (const file of allFiles(join(root, "results"))) {
      const content = readFileSync(file, "latin1");
      for (const secret of secrets) if (content.includes(secret)) leaks.push(`${file}: ${secret}`);
    }
    expect(leaks).toEqual([]);
    // The variant definition keeps non-secret fields and masks the secret ones.
    const variant = JSON.parse(readFileSync(join(runDir, "variants", "leaker", "variant.json"), "utf8"));
    expect(variant.definition.provider.api_key).toBe("***redacted***");
    expect(variant.definition.env.VARIANT_SECRET_TOKEN).toBe("***redacted***");
    expect(variant.definition.env.PLAIN_FROM_ENV).toBe("***redacted***");
    // …and nothing was printed either.
    for (const secret of secrets) expect(run.stderr + run.stdout).not.toContain(secret);
  });

  test("every JSON file of the run is valid against its published schema (docs/schemas/)", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validators = new Map(
      ["run", "variant", "task", "meta", "metrics", "analysis", "verify", "summary", "trajectory"].map(
        (name) => [
          `${name}.json`,
          ajv.compile(
            JSON.parse(readFileSync(join(PROJECT_ROOT, "docs/schemas", `${name}.schema.json`), "utf8")),
          ),
        ],
      ),
    );
    const files = allFiles(runDir).filter((f) => f.endsWith(".json") && !f.includes(`${sep}workspace${sep}`));
    const checked = new Map<string, number>();
    for (const file of files) {
      const validate = validators.get(basename(file));
      expect(validate, `${file} is not an artifact with a schema`).toBeDefined();
      const valid = validate!(JSON.parse(readFileSync(file, "utf8")));
      expect({ file, valid, errors: validate!.errors ?? null }).toEqual({ file, valid: true, errors: null });
      checked.set(basename(file), (checked.get(basename(file)) ?? 0) + 1);
    }
    // One run, five variants of one task, one trial each; four of them ran a session.
    expect(Object.fromEntries(checked)).toEqual({
      "run.json": 1,
      "summary.json": 1,
      "variant.json": 5,
      "task.json": 5,
      "trajectory.json": 4,
      "meta.json": 5,
      "metrics.json": 4,
      "analysis.json": 4,
      "verify.json": 4,
    });
  });

  test("the debug log dir and COPILOT_HOME are temporary and gone", () => {
    const m = meta("fixer");
    const logDir = m.command[m.command.indexOf("--log-dir") + 1];
    expect(logDir).not.toContain(root);
    expect(existsSync(logDir)).toBe(false);
    expect(existsSync(trial("fixer", "logs"))).toBe(false);
  });
});

describe("failures before and around Copilot", () => {
  test("a missing Copilot binary exits 2 before any workspace exists", async () => {
    const fresh = copyExampleRoot();
    const result = await runCli(["run", "--root", fresh, "--copilot", join(fresh, "no-such-copilot")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not an executable file");
    expect(result.stderr).toContain("npm install -g @github/copilot");
    expect(existsSync(join(fresh, "results"))).toBe(false);
  });

  test("a Copilot that exits 0 but writes no session is copilot_failed", async () => {
    const fresh = copyExampleRoot();
    const fake = join(tempDir(), "copilot");
    writeTree(fake.replace(/copilot$/, ""), {
      copilot:
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "GitHub Copilot CLI 9.9.9."; exit 0; fi\necho "pretending"\nexit 0\n',
    });
    chmodSync(fake, 0o755);
    const result = await runCli(["run", "--root", fresh, "--copilot", fake, "--concurrency", "4"]);
    // No trial ran (every one copilot_failed): exit 4 (README, exit codes).
    expect(result.code).toBe(4);
    const [runId] = readdirSync(join(fresh, "results", "fix-the-calculator"));
    const dir = join(fresh, "results", "fix-the-calculator", runId!);
    const record = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(record.copilot.version).toBe("9.9.9");
    expect(record.status).toBe("failed");
    const m = JSON.parse(
      readFileSync(
        join(dir, "variants", "idle-agent", "tasks", "fix-divide", "trials", "001", "meta.json"),
        "utf8",
      ),
    );
    expect(m.status).toBe("copilot_failed");
    expect(m.error).toContain("wrote no session log");
  });

  test("a classic personal access token is refused up front wherever it would reach Copilot", async () => {
    // A GitHub-hosted variant would get the resolved token: refused before any workspace exists.
    const hosted = writeTree(copyExampleRoot(), {
      "experiments/calculator.yaml":
        "name: Hosted\ntask: {prompt: p, fixture: fixtures/calculator}\nvariants: [{model: gpt-5}]\n",
    });
    const refused = await runCli(["run", "--root", hosted, "--copilot", COPILOT], {
      env: { GH_TOKEN: "ghp_0123456789abcdefghijklmnopqrstuvwxyz", COPILOT_GITHUB_TOKEN: undefined },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("from GH_TOKEN is a classic personal access token");
    expect(refused.stderr).toContain("fine-grained");
    expect(refused.stderr).not.toContain("ghp_0123456789");
    expect(existsSync(join(hosted, "results"))).toBe(false);

    // A BYOK variant that sets one in its env: the CLI would refuse it even there.
    const byok = writeTree(copyExampleRoot(), {
      "experiments/calculator.yaml":
        "name: Byok\ntask: {prompt: p, fixture: fixtures/calculator}\nvariants:\n  - {provider: {script: idle}, env: {GITHUB_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789}}\n",
    });
    const byokRefused = await runCli(["run", "--root", byok, "--copilot", COPILOT]);
    expect(byokRefused.code).toBe(2);
    expect(byokRefused.stderr).toContain(
      "variant variant-001 env GITHUB_TOKEN is a classic personal access token",
    );
    expect(existsSync(join(byok, "results"))).toBe(false);
  });

  test("an inherited classic token does not reach BYOK variants at all", async () => {
    const fresh = writeTree(copyExampleRoot(), {
      "experiments/calculator.yaml":
        "name: Inherit\ntask: {prompt: p, fixture: fixtures/calculator}\nvariants: [{provider: {script: idle}}]\n",
    });
    const result = await runCli(["run", "--root", fresh, "--copilot", COPILOT], {
      env: { GITHUB_TOKEN: "ghp_0123456789abcdefghijklmnopqrstuvwxyz" },
    });
    expect(result.code).toBe(0);
    const [runId] = readdirSync(join(fresh, "results", "inherit"));
    const meta = JSON.parse(
      readFileSync(
        join(fresh, "results", "inherit", runId!, "variants/variant-001/tasks/task-001/trials/001/meta.json"),
        "utf8",
      ),
    );
    expect(meta.status).toBe("ok");
  });
});
