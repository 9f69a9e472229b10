import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FEATURES } from "../../src/copilot/capabilities.ts";
import { probeBwrap } from "../../src/sandbox/bwrap.ts";
import { PINNED_COPILOT_VERSION } from "../../src/version.ts";
import { PROJECT_ROOT, runSource } from "../helpers/cli.ts";
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
    const r = await runSource(["run", "--root", root, "--copilot", copilot.path], {
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
    const r = await runSource(["run", "--root", root, "--copilot", path], { env: cacheEnv() });
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

describe("doctor", () => {
  test("with the pinned CLI: its version, every feature, git, results writable; nothing to refuse", async () => {
    const root = copyExampleRoot();
    const r = await runSource(["doctor", "--root", root, "--copilot", PINNED, "--json"], { env: cacheEnv() });
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
    const text = await runSource(["doctor", "--root", root, "--copilot", PINNED], { env: cacheEnv() });
    expect(text.stdout).toContain(`${PINNED_COPILOT_VERSION} (what trials run: --no-auto-update)`);
    expect(text.stdout).toContain("run: nothing to refuse");
  });

  test("exit 1 and every reason when a run would be refused: no experiments, no CLI", async () => {
    const root = tempDir("cx-doctor-empty-");
    const r = await runSource(["doctor", "--root", root], {
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
