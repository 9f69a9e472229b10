import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { validateXML } from "xmllint-wasm";
import { loadExperiments } from "../../src/experiment/load.ts";
import { cellKey, planCells, shardCells } from "../../src/run/plan.ts";
import { ensureBinary, PROJECT_ROOT, runBinary, runCli } from "../helpers/cli.ts";
import { writeFakeCopilot } from "../helpers/fake-copilot.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (a fake Copilot, git, the compiled binary). The tests run at once
// (`test.concurrent`: each has its own roots), so each may take as long as the whole file.
setDefaultTimeout(300_000);

/** CI integration and scale-out: progress, JUnit, thresholds, step summary, shards + merge, init. */

const fake = writeFakeCopilot();
const ENV = { COPILOT_GITHUB_TOKEN: "github_pat_fake_for_tests", COPILOT_BIN: fake };

const EXPERIMENT = `name: Shards
tasks:
  - {name: pass, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
  - {name: fail, prompt: p, fixture: fixtures/app, verify: "echo 'expected <42> & got \\"nothing\\"'; exit 1"}
  - {name: ungraded, prompt: p, fixture: fixtures/app}
variants:
  - {name: alpha, trials: 3, env: {FAKE_AIU_NANO: "1250000000"}}
  - {name: beta, trials: 2}
  - {name: broken, trials: 1, env: {FAKE_EXIT: "4"}}
`;

const newRoot = () =>
  writeTree(tempDir("cx-ci-"), { "experiments/shards.yaml": EXPERIMENT, "fixtures/app/README.md": "x\n" });
const runDirs = (root: string) =>
  readdirSync(join(root, "results", "shards")).map((id) => join(root, "results", "shards", id));
const readJson = (p: string) => JSON.parse(readFileSync(p, "utf8"));
/** The workspace folders a run kept. */
const keptWorkspaces = (runDir: string) =>
  [...new Bun.Glob("variants/*/tasks/*/trials/*/workspace").scanSync({ cwd: runDir, onlyFiles: false })].map(
    (p) => join(runDir, p),
  );
const stable = (summary: unknown) =>
  JSON.parse(
    JSON.stringify(summary, (k, v) =>
      /duration|generated_at|run_id|status$/.test(k) && k !== "status_counts" ? undefined : v,
    ),
  );

describe("sharding", () => {
  test.concurrent("shards 1/3, 2/3, 3/3 cover every cell exactly once and are balanced within one cell", () => {
    const [experiment] = loadExperiments(newRoot(), [], {});
    const cells = planCells(experiment!);
    expect(cells).toHaveLength(3 * (3 + 2 + 1));
    const shards = [1, 2, 3].map((index) => shardCells(cells, { index, count: 3 }).map(cellKey));
    expect(shards.flat().sort()).toEqual(cells.map(cellKey).sort());
    expect(new Set(shards.flat()).size).toBe(cells.length);
    const sizes = shards.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    // Deterministic: the same slice every time.
    expect(shardCells(cells, { index: 2, count: 3 }).map(cellKey)).toEqual(shards[1]!);
  });

  test.concurrent("merging the shards of one run id gives the same summary as an unsharded run", async () => {
    // The unsharded run and the three shards are independent: at once.
    const whole = newRoot();
    const shardRoots = [newRoot(), newRoot(), newRoot()];
    const [wholeRun, ...shardRuns] = await Promise.all([
      runCli(["run", "--root", whole], { env: ENV }),
      ...shardRoots.map((root, i) =>
        runCli(["run", "--root", root, "--shard", `${i + 1}/3`, "--run-id", "ci-77"], { env: ENV }),
      ),
    ]);
    expect(wholeRun!.code).toBe(0);
    const expected = readJson(join(runDirs(whole)[0]!, "summary.json"));
    for (const [i, root] of shardRoots.entries()) {
      expect(shardRuns[i]!.code).toBe(0);
      const record = readJson(join(root, "results/shards/ci-77/run.json"));
      expect(record.options.shard).toBe(`${i + 1}/3`);
      expect(record.status).toBe("partial");
      // The shard's snapshots of the sources went with it (ADR 0017).
      expect(readdirSync(join(root, "results/shards/ci-77")).filter((n) => n.startsWith("."))).toEqual([]);
    }
    const target = newRoot();
    const merged = await runCli(["merge", ...shardRoots.map((r) => join(r, "results")), "--root", target]);
    expect(merged.code).toBe(0);
    const runDir = join(target, "results/shards/ci-77");
    const record = readJson(join(runDir, "run.json"));
    expect(record.status).toBe("completed");
    expect(record.shards).toEqual(["1/3", "2/3", "3/3"]);
    expect(record.counts.finished).toBe(18);
    expect(existsSync(join(runDir, "report.html"))).toBe(true);
    expect(stable(readJson(join(runDir, "summary.json")))).toEqual(stable(expected));

    // Merging a shard again is a no-op: nothing is written.
    const before = readFileSync(join(runDir, "run.json"), "utf8");
    const again = await runCli(["merge", join(shardRoots[0]!, "results"), "--root", target]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already holds these trials — nothing to do");
    expect(readFileSync(join(runDir, "run.json"), "utf8")).toBe(before);
    // One shard named twice (its results folder and its run folder) is one source.
    const twice = await runCli([
      "merge",
      join(shardRoots[0]!, "results"),
      join(shardRoots[0]!, "results", "shards", "ci-77"),
      "--root",
      newRoot(),
    ]);
    expect(twice.code).toBe(0);

    // The merged run does not depend on the shards, which are gone: every workspace it kept
    // (the trials that did not pass) is a repository of its own (ADR 0017).
    for (const shard of shardRoots) rmSync(shard, { recursive: true, force: true });
    const kept = keptWorkspaces(runDir);
    expect(kept.length).toBe(18 - 5);
    for (const workspace of kept) {
      expect(existsSync(join(workspace, ".git/objects/info/alternates"))).toBe(false);
      expect(Bun.spawnSync(["git", "-C", workspace, "fsck", "--full", "--no-dangling"]).exitCode).toBe(0);
      expect(Bun.spawnSync(["git", "-C", workspace, "cat-file", "-e", "HEAD^{tree}"]).exitCode).toBe(0);
    }

    // A shard re-run elsewhere has other results: refused, naming the run; --force replaces.
    const rerun = newRoot();
    const r1 = await runCli(["run", "--root", rerun, "--shard", "1/3", "--run-id", "ci-77"], { env: ENV });
    expect(r1.code).toBe(0);
    const refused = await runCli(["merge", join(rerun, "results"), "--root", target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "run ci-77 of shards already holds 6 of these trials, with other results",
    );
    expect(refused.stderr).toContain(runDir);
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(join(runDir, "run.json"), "utf8")).toBe(before);
    const forced = await runCli(["merge", join(rerun, "results"), "--root", target, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain("6 trials from 1 folder, 6 replaced");
    expect(readJson(join(runDir, "run.json")).counts.finished).toBe(18);
  });

  test.concurrent("merge refuses shards of different experiment definitions", async () => {
    const a = newRoot();
    const b = writeTree(newRoot(), {
      "experiments/shards.yaml": EXPERIMENT.replace("trials: 2", "trials: 1"),
    });
    await Promise.all([
      runCli(["run", "--root", a, "--shard", "1/2", "--run-id", "x1"], { env: ENV }),
      runCli(["run", "--root", b, "--shard", "2/2", "--run-id", "x1"], { env: ENV }),
    ]);
    const result = await runCli(["merge", join(a, "results"), join(b, "results"), "--root", newRoot()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("different experiment definitions");
  });

  test.concurrent("--shard must be K/N", async () => {
    const result = await runCli(["run", "--root", newRoot(), "--shard", "4/3"], { env: ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--shard expects K/N");
  });
});

describe("CI output", () => {
  test.concurrent("JUnit XML is well-formed and its counts match the summary; GITHUB_STEP_SUMMARY is appended", async () => {
    const root = newRoot();
    const junit = join(tempDir(), "junit.xml");
    const stepSummary = join(tempDir(), "step-summary.md");
    writeFileSync(stepSummary, "# Earlier step\n");
    const result = await runCli(["run", "--root", root, "--junit", junit], {
      env: { ...ENV, GITHUB_STEP_SUMMARY: stepSummary },
    });
    expect(result.code).toBe(0);
    const xml = readFileSync(junit, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    // …and valid against the common JUnit schema (libxml2's validator, compiled to wasm).
    const xsd = readFileSync(join(PROJECT_ROOT, "test/fixtures/junit.xsd"), "utf8");
    const validation = await validateXML({
      xml: [{ fileName: "junit.xml", contents: xml }],
      schema: [{ fileName: "junit.xsd", contents: xsd }],
    });
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (n) => ["testsuite", "testcase"].includes(n),
    }).parse(xml);
    const suites = doc.testsuites.testsuite as {
      name: string;
      tests: string;
      failures: string;
      errors: string;
      testcase: {
        classname: string;
        name: string;
        time: string;
        failure?: unknown;
        error?: { type: string };
      }[];
    }[];
    expect(suites.map((s) => s.name)).toEqual(["alpha", "beta", "broken"]);
    const summary = readJson(join(runDirs(root)[0]!, "summary.json"));
    const cases = suites.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(summary.overall.n_trials);
    expect(Number(doc.testsuites.tests)).toBe(summary.overall.n_trials);
    expect(Number(doc.testsuites.failures)).toBe(summary.overall.n_graded - summary.overall.n_success);
    expect(Number(doc.testsuites.errors)).toBe(summary.overall.n_failed_trials);
    const alphaFail = cases.find((c) => c.classname === "alpha" && c.name === "fail/1")!;
    expect(JSON.stringify(alphaFail.failure)).toContain('expected <42> & got \\"nothing\\"');
    const broken = cases.find((c) => c.classname === "broken")!;
    expect(broken.error!.type).toBe("copilot_failed");
    expect(Number(cases[0]!.time)).toBeGreaterThan(0);
    const appended = readFileSync(stepSummary, "utf8");
    expect(appended).toStartWith("# Earlier step\n");
    expect(appended).toContain("## Shards — run");
    expect(appended).toContain("| variant |");
  });

  test.concurrent("--fail-under exits 1 below the rate and says by how much; 0 at or above it", async () => {
    // 2 of 3 tasks graded; alpha+beta pass `pass`, fail `fail`: 5 of 10 graded trials pass.
    const [low, ok] = await Promise.all([
      runCli(["run", "--root", newRoot(), "--fail-under", "0.8"], { env: ENV }),
      runCli(["run", "--root", newRoot(), "--fail-under", "0.5"], { env: ENV }),
    ]);
    expect(low.code).toBe(1);
    expect(low.stderr).toContain(
      "success rate 50.0% (5/10 graded trials) is 30.0 points under --fail-under 80.0%",
    );
    expect(ok.code).toBe(0);
  });

  test.concurrent("without a TTY: one plain line per finished trial, then the summary table and the report path", async () => {
    const result = await runCli(["run", "--root", newRoot()], { env: ENV });
    const lines = result.stderr.split("\n").filter((l) => /^\[\s*\d+\/18\]/.test(l));
    expect(lines).toHaveLength(18);
    expect(lines.filter((l) => /^\[\s*\d+\/18\] pass\s/.test(l)).length).toBe(5);
    expect(result.stderr).not.toContain("\r");
    expect(result.stderr).toMatch(/variant\s+trials\s+success/);
    expect(result.stderr).toContain("report: ");
  });

  test.concurrent("--verbose streams Copilot's output, prefixed by trial", async () => {
    const result = await runCli(["run", "--root", newRoot(), "--verbose"], { env: ENV });
    expect(result.code).toBe(0);
    // The fake prints one JSON line per invocation; each arrives with its trial's label.
    const streamed = result.stderr.split("\n").filter((l) => l.endsWith('{"type":"result","exitCode":0}'));
    expect(streamed).toHaveLength(18);
    expect(streamed).toContain('[alpha / pass #2] {"type":"result","exitCode":0}');
    expect(streamed).toContain('[broken / ungraded #1] {"type":"result","exitCode":0}');
  });

  test.concurrent("on a TTY (under script): a live status line", async () => {
    if (!Bun.which("script")) {
      console.warn("skipped: `script` (util-linux) is not installed");
      return;
    }
    const root = newRoot();
    const cmd = `${process.execPath} ${join(PROJECT_ROOT, "src/cli/main.ts")} run --root ${root}`;
    const proc = Bun.spawn(["script", "-qec", cmd, "/dev/null"], {
      env: { ...process.env, ...ENV, CI: "", TERM: "xterm", NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    expect(out).toContain("\r\x1b[2K");
    expect(out).toMatch(
      /\d+\/18 done · \d+ running · \d+ passed · \d+ failed · \d+ infra · .* elapsed · ETA/,
    );
  });
});

describe("init", () => {
  test.concurrent("init → check → run --dry-run work in a new folder with the compiled binary", async () => {
    const binDir = tempDir("cx-init-bin-");
    const binary = join(binDir, "copilot-experiments");
    copyFileSync(await ensureBinary(), binary);
    const dir = join(tempDir("cx-init-"), "my-lab");
    const init = await runBinary(["init", dir, "--name", "My lab"], { binary });
    expect(init.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      ".gitignore",
      "README.md",
      "experiment.schema.json",
      "experiments",
      "fixtures",
    ]);
    const yaml = readFileSync(join(dir, "experiments/example.yaml"), "utf8");
    expect(yaml.split("\n")[0]).toBe("# yaml-language-server: $schema=../experiment.schema.json");
    expect(yaml).toContain("instructions:");
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toContain("results/");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain(
      "copilot-experiments run --variants scripted",
    );
    expect(existsSync(join(dir, "experiments/scripts/fix-greeting.yaml"))).toBe(true);

    const check = await runBinary(["check"], { binary, cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/fix-greeting\s+fails\s+passes\s+✓ ok/);
    const dry = await runBinary(["run", "--dry-run"], { binary, cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain("checks passed");
    expect(existsSync(join(dir, "results"))).toBe(false);

    const again = await runBinary(["init", dir], { binary });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is not empty");
    expect((await runBinary(["init", dir, "--force"], { binary })).code).toBe(0);
  });
});
