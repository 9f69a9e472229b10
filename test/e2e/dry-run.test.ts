import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";
import { COPILOT, copyExampleRoot } from "../helpers/example-root.ts";

// Real processes (the Copilot CLI, git, the compiled binary): a minute per test unless it says otherwise.
setDefaultTimeout(60_000);

/** `run --dry-run`: the whole pipeline in a throwaway folder, then a checklist; nothing kept. */

const STAGES = [
  "workspace + git baseline",
  "copilot invocation",
  "session log (events.jsonl)",
  "OTel (copilot-otel.jsonl)",
  "metrics.json",
  "analysis.json",
  "workspace.diff (non-empty)",
  "verify ran",
  "meta.json",
  "summary.json + summary.md",
  "report.html",
  "index rows (index.db)",
];

describe("dry runs", () => {
  test.each([
    ["mock invoker", []],
    ["real CLI against the scripted provider", ["--with-copilot", "--copilot", COPILOT]],
  ])("%s: every stage leaves its artifact; nothing is left under results/", async (_name, extra) => {
    const root = copyExampleRoot();
    const result = await runCli(["run", "--dry-run", "--root", root, ...(extra as string[])], {
      env: { COLUMNS: "200", COPILOT_GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_TOKEN: undefined },
    });
    expect(result.code).toBe(0);
    for (const stage of STAGES) expect(result.stdout).toContain(stage);
    expect(result.stdout).not.toContain("✗");
    // 3 variants × 2 tasks, one trial each: 9 checks per trial + 3 per run.
    expect(result.stdout.split("\n").filter((l) => l.startsWith("✓"))).toHaveLength(6 * 9 + 3);
    expect(result.stderr).toContain("all 57 checks passed");
    expect(existsSync(join(root, "results"))).toBe(false);
  });

  test("a broken stage is reported and exits 1", async () => {
    const root = copyExampleRoot();
    // A setup command that fails breaks every trial before Copilot runs.
    const yaml = join(root, "experiments/calculator.yaml");
    await Bun.write(
      yaml,
      (await Bun.file(yaml).text()).replace(
        "verify_timeout_s: 60\n",
        'verify_timeout_s: 60\n    setup: ["exit 7"]\n',
      ),
    );
    const result = await runCli(["run", "--dry-run", "--root", root], { env: { COLUMNS: "200" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✗\s+copilot invocation\s+scripted fixer \/ fix-multiply\s+harness_error: setup command 1 failed \(exit 7\): exit 7/,
    );
    expect(result.stderr).toMatch(/dry run: \d+ of 57 checks failed/);
  });
});
