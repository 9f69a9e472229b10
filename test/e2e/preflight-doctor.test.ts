import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FEATURES } from "../../src/copilot/capabilities.ts";
import { probeBwrap } from "../../src/sandbox/bwrap.ts";
import { PINNED_COPILOT_VERSION } from "../../src/version.ts";
import { PROJECT_ROOT, runBinary, runCli } from "../helpers/cli.ts";
import { copyExampleRoot } from "../helpers/example-root.ts";
import { writeFakeCopilot } from "../helpers/fake-copilot.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git): a minute per test unless it says otherwise.
setDefaultTimeout(60_000);

/** The pinned CLI's native executable (the platform package of the dev dependency): no Node involved. */
const PINNED = join(PROJECT_ROOT, `node_modules/@github/copilot-${process.platform}-${process.arch}/copilot`);
/** The user's own install cache must not be consulted: every test gets an empty one. */
const cacheEnv = () => ({ COPILOT_EXPERIMENTS_CACHE: tempDir("cx-install-cache-") });

/** A stand-in CLI that logs every call (arguments and the state variables it got), then runs the fake. */
function recordingCopilot(): { path: string; log: string } {
  const dir = tempDir("cx-recording-");
  const log = join(dir, "calls.log");
  const path = join(dir, "copilot");
  writeFileSync(
    path,
    `#!/bin/sh
echo "$* | home=\${COPILOT_HOME:-unset} cache=\${COPILOT_CACHE_HOME:-unset} pkg=\${COPILOT_PKG_CACHE_HOME:-unset} gh=\${GITHUB_TOKEN:-unset}" >> "${log}"
exec "${writeFakeCopilot()}" "$@"
`,
  );
  chmodSync(path, 0o755);
  return { path, log };
}

describe("preflight runs the CLI as trials do", () => {
  test("--version with --no-auto-update, a fresh COPILOT_HOME and cache, the shared runtime cache, no tokens", async () => {
    const root = writeTree(tempDir("cx-preflight-"), {
      // No sandbox: the recording stand-in writes its log and runs the fake from temp folders.
      "experiments/x.yaml":
        "name: X\nsandbox: none\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: a, provider: {script: idle}}]\n",
      "fixtures/app/README.md": "x\n",
    });
    const copilot = recordingCopilot();
    const pkg = tempDir("cx-pkg-cache-");
    const r = await runCli(["run", "--root", root, "--copilot", copilot.path], {
      env: { ...cacheEnv(), GITHUB_TOKEN: "github_pat_not_for_the_agent", COPILOT_PKG_CACHE_HOME: pkg },
    });
    expect(r.code).toBe(0);
    const calls = readFileSync(copilot.log, "utf8").trim().split("\n");
    const version = calls.find((c) => c.startsWith("--version"))!;
    const trial = calls.find((c) => c.startsWith("-p "))!;
    expect(version).toStartWith("--version --no-auto-update |");
    expect(trial).toContain(" --no-auto-update ");
    for (const line of [version, trial]) {
      const vars = Object.fromEntries(
        line
          .split(" | ")[1]!
          .split(" ")
          .map((kv) => kv.split("=")),
      );
      // Per-process home and cache (never the user's), the user's runtime cache shared, no inherited token.
      expect(vars.home).toMatch(/cx-(copilot-state|trial)-.*home$/);
      expect(vars.cache).toMatch(/cx-(copilot-state|trial)-.*cache$/);
      expect(vars.pkg).toBe(pkg);
      expect(vars.gh).toBe("unset");
    }
  });

  test("a feature the CLI lacks is refused with exit 2 before any workspace exists", async () => {
    const root = writeTree(tempDir("cx-preflight-"), {
      "experiments/x.yaml":
        "name: X\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: planner, provider: {script: idle}, mode: plan}]\n",
      "fixtures/app/README.md": "x\n",
    });
    // A CLI whose help documents everything but --mode.
    const dir = tempDir("cx-no-mode-");
    const path = join(dir, "copilot");
    const flags = Object.values(FEATURES)
      .map((f) => ("flag" in f.probe ? f.probe.flag : ""))
      .filter((f) => f && f !== "--mode");
    writeFileSync(
      path,
      `#!/bin/sh
case "$1" in
  --version) echo "GitHub Copilot CLI 1.0.20."; exit 0 ;;
  --help) echo "--help"; for f in ${flags.join(" ")}; do echo "  $f"; done; exit 0 ;;
  help) echo "COPILOT_PROVIDER_BASE_URL COPILOT_OTEL_FILE_EXPORTER_PATH"; exit 0 ;;
esac
echo "a trial ran" > "${dir}/ran"; exit 0
`,
    );
    chmodSync(path, 0o755);
    const r = await runCli(["run", "--root", root, "--copilot", path], { env: cacheEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `the Copilot CLI 1.0.20 (${path}, from --copilot) lacks a feature this run uses`,
    );
    expect(r.stderr).toContain(
      "--mode — not in 1.0.20; first version that has it: 1.0.23; used by variant planner of x",
    );
    expect(existsSync(join(root, "results"))).toBe(false);
    expect(existsSync(join(dir, "ran"))).toBe(false);
  });
});

describe("the versions trials ran", () => {
  test("each trial records its session's version; a mix is in run.json, summary.json, show, summary.md and the report, with a warning", async () => {
    // Preflight's `--version` says 0.0.0-fake; one variant's sessions name another version.
    const root = writeTree(tempDir("cx-versions-"), {
      "experiments/x.yaml": `name: X
tasks: [{name: t1, prompt: p, fixture: fixtures/app}, {name: t2, prompt: p, fixture: fixtures/app}]
variants:
  - {name: old, provider: {script: idle}, env: {FAKE_SESSION_VERSION: "1.0.80"}}
  - {name: same, provider: {script: idle}}
`,
      "fixtures/app/README.md": "x\n",
    });
    const r = await runBinary(["run", "--root", root, "--copilot", writeFakeCopilot()], { env: cacheEnv() });
    expect(r.code).toBe(0);
    const warning =
      "trials ran different Copilot CLI versions: 0.0.0-fake (2 trials), 1.0.80 (2 trials); preflight found 0.0.0-fake";
    expect(r.stderr).toContain(warning);

    const runDir = join(root, "results", "x", readdirSync(join(root, "results", "x"))[0]!);
    const read = (...path: string[]) => JSON.parse(readFileSync(join(runDir, ...path), "utf8"));
    for (const [variant, version] of [
      ["old", "1.0.80"],
      ["same", "0.0.0-fake"],
    ]) {
      for (const task of ["t1", "t2"]) {
        const trial = ["variants", variant!, "tasks", task, "trials", "001"];
        expect(read(...trial, "analysis.json").copilot_version).toBe(version);
        expect(read(...trial, "metrics.json").copilot_version).toBe(version);
      }
    }
    const versionsRan = {
      ran: [
        { version: "0.0.0-fake", trials: 2 },
        { version: "1.0.80", trials: 2 },
      ],
      unknown: 0,
      mixed: true,
      mismatch: true,
      warning,
    };
    const record = read("run.json");
    expect(record.copilot).toMatchObject({ version: "0.0.0-fake", versions_ran: versionsRan });
    expect(read("summary.json").copilot_versions_ran).toEqual(versionsRan);
    // The build commit, as the binary's --version prints it.
    const commit = /\((\S+)\)$/.exec((await runBinary(["--version"])).stdout.trim())![1];
    expect(record.tool.commit).toMatch(/^[0-9a-f]{12}(\+dirty)?$/);
    expect(record.tool.commit).toBe(commit);

    const show = await runBinary(["show", "--last", "--root", root]);
    expect(show.code).toBe(0);
    const shown = show.stdout.replace(/\s+/g, " "); // lines wrap at 80 columns
    expect(shown).toContain("Copilot 0.0.0-fake (preflight) · ran 0.0.0-fake (2 trials), 1.0.80 (2 trials)");
    expect(shown).toContain(`warning: ${warning}`);
    const md = readFileSync(join(runDir, "summary.md"), "utf8");
    expect(md).toContain(
      "**Copilot:** 0.0.0-fake (preflight) · ran 0.0.0-fake (2 trials), 1.0.80 (2 trials)",
    );
    expect(md).toContain(`> **Warning:** ${warning}.`);
    const html = readFileSync(join(runDir, "report.html"), "utf8");
    expect(html).toContain(`"copilot_ran":"0.0.0-fake (2 trials), 1.0.80 (2 trials)"`);
    expect(html).toContain(`Copilot versions: ${warning}.`);
  });
});

describe("doctor", () => {
  test("with the pinned CLI: its version, every feature, git, results writable; nothing to refuse", async () => {
    const root = copyExampleRoot();
    const r = await runCli(["doctor", "--root", root, "--copilot", PINNED, "--json"], { env: cacheEnv() });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.copilot).toMatchObject({
      path: PINNED,
      source: "--copilot",
      version: PINNED_COPILOT_VERSION,
    });
    expect(report.copilot.features.filter((f: { present: boolean }) => !f.present)).toEqual([]);
    expect(report.git).toStartWith("git version");
    expect(report.results).toMatchObject({ path: join(root, "results"), writable: true });
    expect(report.experiments).toEqual(["fix-the-calculator"]);
    expect(report.refusals).toEqual([]);
    const bwrap = (await probeBwrap()).ok;
    expect(report.sandbox.experiments).toEqual({ "fix-the-calculator": bwrap ? "bwrap" : "none" });
    expect(report.sandbox.bwrap !== null).toBe(bwrap);
    const text = await runCli(["doctor", "--root", root, "--copilot", PINNED], { env: cacheEnv() });
    expect(text.stdout).toContain(`${PINNED_COPILOT_VERSION} (what trials run: --no-auto-update)`);
    expect(text.stdout).toContain("run: nothing to refuse");
  });

  test("exit 1 and every reason when a run would be refused: no experiments, no CLI", async () => {
    const root = tempDir("cx-doctor-empty-");
    const r = await runCli(["doctor", "--root", root], {
      env: { ...cacheEnv(), PATH: "/usr/bin:/bin", COPILOT_BIN: undefined },
      cwd: root,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("run would refuse (2):");
    expect(r.stdout).toContain(`no experiment files found in ${join(root, "experiments")}`);
    expect(r.stdout).toContain("the Copilot CLI was not found");
    expect(r.stdout).toContain("Copilot CLI   not found");
  });
});
