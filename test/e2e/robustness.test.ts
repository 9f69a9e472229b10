import { Database } from "bun:sqlite";
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import { processesMatching, writeFakeCopilot } from "../helpers/fake-copilot.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, the compiled binary): two minutes per test, as the tests
// run at once (`test.concurrent`): each has its own root, marker and fake, and most of their time
// is spent waiting on sleeps, timeouts and signals.
setDefaultTimeout(120_000);

/**
 * Robust runs (timeouts, interruption, resume, retries, budget, concurrency) with a fake
 * `copilot` executable that can sleep, fail and spawn background grandchildren.
 */

const fake = writeFakeCopilot();
const ENV = { COPILOT_GITHUB_TOKEN: "github_pat_fake_for_tests", COPILOT_BIN: fake };

function experimentRoot(yaml: string): string {
  return writeTree(tempDir("cx-robust-"), {
    "experiments/exp.yaml": yaml,
    "fixtures/app/README.md": "app\n",
  });
}

function runDirOf(root: string, slug: string): string {
  const runs = readdirSync(join(root, "results", slug)).filter((r) => !r.startsWith("."));
  expect(runs).toHaveLength(1);
  return join(root, "results", slug, runs[0]!);
}

/** The fields of meta.json these tests read. */
interface Meta {
  variant: string;
  task: string;
  trial: number;
  status: string;
  error: string | null;
  success: boolean | null;
  attempts: { attempt: number; status: string; dir: string | null }[];
}

function metas(runDir: string): Meta[] {
  const out = [];
  for (const v of readdirSync(join(runDir, "variants"))) {
    for (const t of readdirSync(join(runDir, "variants", v, "tasks"))) {
      const trials = join(runDir, "variants", v, "tasks", t, "trials");
      for (const n of readdirSync(trials)) {
        const path = join(trials, n, "meta.json");
        if (existsSync(path)) out.push(JSON.parse(readFileSync(path, "utf8")));
      }
    }
  }
  return out;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await Bun.sleep(50);
  }
}

function allJsonParses(dir: string): string[] {
  const bad: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== "workspace") walk(p);
      else if (e.isFile() && e.name.endsWith(".json")) {
        try {
          JSON.parse(readFileSync(p, "utf8"));
        } catch {
          bad.push(p);
        }
      }
    }
  };
  walk(dir);
  return bad;
}

describe("timeouts", () => {
  test.concurrent("a timeout kills the whole process tree; verify still runs on what was left", async () => {
    const marker = "1000.4711";
    const root = experimentRoot(`name: Timeouts
task: {name: slow, prompt: p, fixture: fixtures/app, verify: "test -f README.md", timeout_s: 1.5}
variants:
  - name: hang
    env: {FAKE_SLEEP_S: "60", FAKE_SPAWN_BG: "${marker}"}
`);
    const result = await runCli(["run", "--root", root], { env: ENV });
    expect(result.code).toBe(0);
    const dir = runDirOf(root, "timeouts");
    const [meta] = metas(dir);
    expect(meta!.status).toBe("timeout");
    expect((meta as unknown as { timed_out: boolean }).timed_out).toBe(true);
    const trial = join(dir, "variants/hang/tasks/slow/trials/001");
    expect(readJson(join(trial, "verify.json")).success).toBe(true);
    expect(readJson(join(dir, "summary.json")).overall.n_graded).toBe(1);
    // Checked in the process table: no sleeper of this trial survives.
    expect(processesMatching(marker)).toEqual([]);
    expect(existsSync(join(trial, ".copilot.pgid"))).toBe(false);
  });

  test.concurrent("verify_timeout_s bounds setup commands and kills their children", async () => {
    const marker = "1000.4712";
    const root = experimentRoot(`name: Slow setup
task:
  name: s
  prompt: p
  fixture: fixtures/app
  setup: ["sleep ${marker} & sleep 30"]
  verify_timeout_s: 1
variants: [{name: v}]
`);
    const result = await runCli(["run", "--root", root], { env: ENV });
    // Its only trial is a harness_error, so no trial ran: exit 4 (README, exit codes).
    expect(result.code).toBe(4);
    const [meta] = metas(runDirOf(root, "slow-setup"));
    expect(meta!.status).toBe("harness_error");
    expect(meta!.error).toContain("setup command 1 failed (timed out after 1s)");
    expect(processesMatching(marker)).toEqual([]);
  });
});

describe("interruption and resume", () => {
  const yaml = (marker: string) => `name: Interrupt
tasks:
  - {name: a, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
  - {name: b, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
variants:
  - name: slow
    trials: 3
    env: {FAKE_SLEEP_S: "2", FAKE_SPAWN_BG: "${marker}"}
`;

  async function startRun(root: string, args: string[] = []) {
    return Bun.spawn(
      [
        process.execPath,
        join(PROJECT_ROOT, "src/cli/main.ts"),
        "run",
        "--root",
        root,
        "--concurrency",
        "2",
        ...args,
      ],
      {
        env: { ...process.env, ...ENV, CI: "true", NO_COLOR: "1" },
        stdout: "pipe",
        stderr: "pipe",
      },
    );
  }

  test.concurrent("SIGINT while a retry waits for the agent slot: the trial ends interrupted with its attempt kept", async () => {
    const failDir = tempDir("cx-failfirst-");
    const sleep = "20.4715";
    // At concurrency 1, the flaky trial's first attempt fails at once; the slow trial, prepared
    // meanwhile, takes the agent slot, and the retry waits for it until the interruption.
    const root = experimentRoot(`name: Retry wait
sandbox_writable: ["${failDir}"]
task: {name: t, prompt: p, fixture: fixtures/app}
variants:
  - {name: flaky, env: {FAKE_FAIL_FIRST: "${failDir}"}}
  - {name: slow, env: {FAKE_SLEEP_S: "${sleep}"}}
`);
    const proc = Bun.spawn(
      [process.execPath, join(PROJECT_ROOT, "src/cli/main.ts"), "run", "--root", root, "--retries", "2"],
      { env: { ...process.env, ...ENV, CI: "true", NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" },
    );
    // Interrupt once the first attempt is archived (the retry is on its way) and the slow agent
    // holds the slot: an interruption before the archive would rightly end the trial unretried.
    const archived = () => {
      const runs = join(root, "results", "retry-wait");
      return (
        existsSync(runs) &&
        readdirSync(runs).some((run) =>
          existsSync(join(runs, run, "variants/flaky/tasks/t/trials/001/attempts/1")),
        )
      );
    };
    await waitFor(() => archived() && processesMatching(`sleep ${sleep}`).length > 0, 60_000);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    const dir = runDirOf(root, "retry-wait");
    const byVariant = Object.fromEntries(metas(dir).map((m) => [m.variant, m]));
    expect(byVariant.slow!.status).toBe("interrupted");
    const flaky = byVariant.flaky!;
    expect(flaky.status).toBe("interrupted");
    expect(flaky.error).toBe("interrupted before it started: retry 2");
    expect(flaky.attempts.map((a) => [a.attempt, a.status, a.dir])).toEqual([
      [1, "copilot_failed", "attempts/1"],
    ]);
    const trial = join(dir, "variants/flaky/tasks/t/trials/001");
    expect(readdirSync(join(trial, "attempts/1"))).toContain("meta.json");
    expect(existsSync(join(trial, "workspace"))).toBe(false);
    expect(processesMatching(`sleep ${sleep}`)).toEqual([]);
  });

  test.concurrent("SIGINT: exit 130, run marked interrupted, no child survives; --resume completes every trial exactly once", async () => {
    const marker = "1000.4713";
    const root = experimentRoot(yaml(marker));
    const proc = await startRun(root);
    await waitFor(() => processesMatching(marker).length > 0, 60_000);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    const dir = runDirOf(root, "interrupt");
    expect(readJson(join(dir, "run.json")).status).toBe("interrupted");
    const statuses = metas(dir).map((m) => m.status);
    expect(statuses).toContain("interrupted");
    expect(existsSync(join(dir, "summary.json"))).toBe(true);
    expect(processesMatching(marker)).toEqual([]);

    const resumed = await runCli(["run", "--root", root, "--resume"], { env: { ...ENV } });
    expect(resumed.code).toBe(0);
    expect(runDirOf(root, "interrupt")).toBe(dir);
    const after = metas(dir);
    expect(after).toHaveLength(6);
    expect(new Set(after.map((m) => `${m.task}/${m.trial}`)).size).toBe(6);
    expect(after.every((m) => m.status === "ok")).toBe(true);
    expect(readJson(join(dir, "run.json")).status).toBe("completed");
    expect(readJson(join(dir, "summary.json")).overall.n_trials).toBe(6);
    expect(processesMatching(marker)).toEqual([]);
  });

  test.concurrent("SIGKILL of the harness: nothing is torn; --resume kills orphans and ends with each trial once", async () => {
    const marker = "1000.4714";
    const root = experimentRoot(yaml(marker));
    const proc = await startRun(root);
    await waitFor(() => processesMatching(marker).length > 0, 60_000);
    await Bun.sleep(300);
    proc.kill("SIGKILL");
    await proc.exited;
    const dir = runDirOf(root, "interrupt");
    expect(allJsonParses(dir)).toEqual([]);
    expect(readJson(join(dir, "run.json")).status).toBe("running");
    // The killed run's snapshot of the sources is left behind (ADR 0017)…
    expect(existsSync(join(dir, ".snapshots.whole"))).toBe(true);

    const resumed = await runCli(["run", "--root", root, "--resume"], { env: { ...ENV } });
    expect(resumed.code).toBe(0);
    // …and the resumed run removes it, then its own.
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
    const after = metas(dir);
    expect(after).toHaveLength(6);
    expect(new Set(after.map((m) => `${m.task}/${m.trial}`)).size).toBe(6);
    expect(after.every((m) => m.status === "ok")).toBe(true);
    expect(allJsonParses(dir)).toEqual([]);
    expect(processesMatching(marker)).toEqual([]);
  });

  test.concurrent("--resume refuses a changed experiment unless --force", async () => {
    const root = experimentRoot(`name: Change
task: {prompt: p, fixture: fixtures/app}
variants: [{name: v, env: {FAKE_EXIT: "0"}}]
`);
    expect((await runCli(["run", "--root", root], { env: ENV })).code).toBe(0);
    writeTree(root, {
      "experiments/exp.yaml": `name: Change
task: {prompt: p changed, fixture: fixtures/app}
variants: [{name: v, env: {FAKE_EXIT: "0"}}]
`,
    });
    const dir = runDirOf(root, "change");
    const runId = dir.split("/").at(-1)!;
    const refused = await runCli(["run", "--root", root, "--resume", runId.slice(0, 12)], { env: ENV });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("changed since run");
    expect(refused.stderr).toContain("--force");
    const forced = await runCli(["run", "--root", root, "--resume", runId, "--force"], { env: ENV });
    expect(forced.code).toBe(0);
  });
});

describe("retries and budget", () => {
  test.concurrent("an infrastructure failure is retried in a fresh workspace; attempts are kept", async () => {
    const failDir = tempDir("cx-failfirst-");
    const calls = join(tempDir(), "calls.txt");
    // The fake's bookkeeping lives outside the workspace: the sandbox must let it write there.
    const root = experimentRoot(`name: Retry
sandbox_writable: ["${failDir}", "${dirname(calls)}"]
tasks:
  - {name: flaky-infra, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
  - {name: wrong-answer, prompt: p, fixture: fixtures/app, verify: "exit 1"}
variants:
  - name: v
    env: {FAKE_FAIL_FIRST: "${failDir}", FAKE_CALLS: "${calls}"}
`);
    const result = await runCli(["run", "--root", root, "--retries", "2"], { env: ENV });
    expect(result.code).toBe(0);
    const dir = runDirOf(root, "retry");
    const byTask = Object.fromEntries(metas(dir).map((m) => [m.task, m]));
    // Each task fails once (first call per workspace), then succeeds on the retry.
    expect(byTask["flaky-infra"]!.status).toBe("ok");
    expect(byTask["flaky-infra"]!.success).toBe(true);
    expect(byTask["flaky-infra"]!.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, "copilot_failed"],
      [2, "ok"],
    ]);
    const attemptDir = join(
      dir,
      "variants/v/tasks/flaky-infra/trials/001",
      byTask["flaky-infra"]!.attempts[0]!.dir!,
    );
    expect(readJson(join(attemptDir, "meta.json")).status).toBe("copilot_failed");
    // A failed verify is an answer, not an infrastructure failure: never retried.
    expect(byTask["wrong-answer"]!.status).toBe("ok");
    expect(byTask["wrong-answer"]!.success).toBe(false);
    expect(byTask["wrong-answer"]!.attempts).toHaveLength(2); // 1 crash + 1 real answer, no more
    expect(readFileSync(calls, "utf8").trim().split("\n")).toHaveLength(4);
  });

  test.concurrent("--budget-aiu starts no new trial once the budget is spent; the rest are skipped", async () => {
    const root = experimentRoot(`name: Budget
task: {name: t, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
variants:
  - name: v
    trials: 4
    env: {FAKE_AIU_NANO: "2000000000"}
`);
    const result = await runCli(["run", "--root", root, "--budget-aiu", "3"], { env: ENV });
    expect(result.code).toBe(0);
    const dir = runDirOf(root, "budget");
    const statuses = metas(dir)
      .sort((a, b) => a.trial - b.trial)
      .map((m) => m.status);
    expect(statuses).toEqual(["ok", "ok", "skipped", "skipped"]);
    const summary = readJson(join(dir, "summary.json"));
    expect(summary.overall.total_aiu).toBe(4);
    expect(summary.overall.status_counts.skipped).toBe(2);
    expect(readJson(join(dir, "run.json")).status).toBe("partial");
  });
});

describe("concurrency", () => {
  test.concurrent("two runs in one results folder at once both complete, with unique ids and a consistent index", async () => {
    const root = experimentRoot(`name: Twice
tasks:
  - {name: a, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
variants:
  - {name: v, trials: 3, env: {FAKE_SLEEP_S: "0.3"}}
`);
    const [first, second] = await Promise.all([
      runCli(["run", "--root", root, "--concurrency", "2"], { env: ENV }),
      runCli(["run", "--root", root, "--concurrency", "2"], { env: ENV }),
    ]);
    expect(first!.code).toBe(0);
    expect(second!.code).toBe(0);
    const runs = readdirSync(join(root, "results", "twice"));
    expect(runs).toHaveLength(2);
    expect(new Set(runs).size).toBe(2);
    for (const run of runs)
      expect(metas(join(root, "results", "twice", run)).map((m) => m.status)).toEqual(["ok", "ok", "ok"]);
    // Both runs reached the index, with every trial, without a rebuild in between.
    const db = new Database(join(root, "results", "index.db"), { readonly: true });
    const rows = db.query("SELECT run_id, COUNT(*) AS n FROM trials GROUP BY run_id ORDER BY run_id").all();
    db.close();
    expect(rows).toEqual(runs.sort().map((run_id) => ({ run_id, n: 3 })));
  });

  test.concurrent("--concurrency 4 gives the same summary as --concurrency 1", async () => {
    const yaml = `name: Conc
tasks:
  - {name: a, prompt: p, fixture: fixtures/app, verify: "test -f FAKE_CHANGE.txt"}
  - {name: b, prompt: p, fixture: fixtures/app, verify: "exit 1"}
variants:
  - {name: x, trials: 3, env: {FAKE_AIU_NANO: "1500000000"}}
  - {name: y, trials: 2, env: {FAKE_SLEEP_S: "0.2"}}
`;
    const strip = (s: Record<string, unknown>): unknown =>
      JSON.parse(JSON.stringify(s, (k, v) => (/duration|generated_at|run_id/.test(k) ? undefined : v)));
    const summaries = await Promise.all(
      ["1", "4"].map(async (c) => {
        const root = experimentRoot(yaml);
        const result = await runCli(["run", "--root", root, "--concurrency", c], { env: ENV });
        expect(result.code).toBe(0);
        return strip(readJson(join(runDirOf(root, "conc"), "summary.json")));
      }),
    );
    expect(summaries[1]).toEqual(summaries[0]);
    expect((summaries[0] as { overall: { n_trials: number } }).overall.n_trials).toBe(10);
  });
});
