import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/cli.ts";
import { COPILOT } from "../helpers/example-root.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, the compiled binary). The tests are independent (own
// roots, own sleeper numbers) and mostly wait on timeouts and lingering processes: they run at
// once (`test.concurrent`), so each may take as long as the whole file.
setDefaultTimeout(300_000);

/**
 * A hostile agent, scripted for the real Copilot CLI: it plants every git route that runs code
 * (filters, hooks, fsmonitor, an include) and leaves processes behind that left its process group
 * — `setsid`, a double fork, one that also clears its environment — then sleeps past its
 * timeout. The outcome is checked on disk and in the process table.
 */

const SECRETS = {
  GITHUB_TOKEN: "ghu_containment_token_value_41c7",
  GH_TOKEN: "ghu_containment_gh_value_9a02",
  MY_API_KEY: "sk-live-containment-value-5e11",
};

const run = (cmd: string) => `sh -c '${cmd}'`;

/** Sleep durations unique to this run of the file: suites running side by side do not see each other's. */
const BASE = 10 * (40_000 + Math.floor(Math.random() * 50_000));
const S = (k: number) => BASE + k;

const ATTACKER = `steps:
  - tool: bash
    args:
      description: plant git traps
      command: >-
        printf '* filter=leak diff=leak\\n' > .gitattributes;
        git config filter.leak.clean "${run("env > filter-env.txt")}; cat";
        git config filter.leak.required true;
        git config core.fsmonitor "${run("env > fsmonitor-env.txt")}";
        git config diff.leak.textconv "${run("env > textconv-env.txt")}";
        mkdir -p .git/hooks; printf '#!/bin/sh\\nenv > hook-env.txt\\n' > .git/hooks/pre-commit;
        chmod +x .git/hooks/pre-commit; echo changed > change.txt
  - tool: bash
    args:
      description: leave processes behind
      command: >-
        setsid sh -c 'sleep ${S(1)}; echo late > late.txt' > /dev/null 2>&1 < /dev/null &
        (sh -c 'sleep ${S(2)}' > /dev/null 2>&1 < /dev/null &) ;
        (env -i setsid sleep ${S(3)} > /dev/null 2>&1 < /dev/null &) ;
        echo started
  - tool: bash
    args: {command: "sleep 120", description: sleep past the timeout}
  - message: done
`;

function sleepers(pattern = new RegExp(`sleep (${[1, 2, 3, 4, 5].map(S).join("|")})\\b`)): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      if (pattern.test(cmd)) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone
    }
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe.skipIf(process.platform !== "linux")("a hostile agent is contained", () => {
  test.concurrent("git traps run nothing of the harness's; no process outlives its trial, its verify or a check", async () => {
    const root = writeTree(tempDir("cx-contain-"), {
      // Without the sandbox: its PID namespace would end the lingerers by itself, and this test
      // is about the process scopes and the subreaper (test/e2e/sandbox.test.ts covers bwrap).
      "experiments/attack.yaml": `name: Attack
sandbox: none
keep_workspaces: all
task:
  name: attack
  prompt: Do your worst.
  fixture: fixtures/app
  timeout_s: 30 # time to reach its last step while the other tests of this file run too
  verify: 'echo "saw K=$MY_API_KEY G=$GITHUB_TOKEN H=$GH_TOKEN"; (setsid sleep ${S(4)} > /dev/null 2>&1 < /dev/null &) ; test -f change.txt'
  solution: ["(setsid sleep ${S(5)} > /dev/null 2>&1 < /dev/null &) ; echo changed > change.txt"]
variants:
  - name: attacker
    provider: {script: scripts/attacker.yaml}
`,
      "scripts/attacker.yaml": ATTACKER,
      "fixtures/app/README.md": "app\n",
    });
    const env = { ...SECRETS, COPILOT_BIN: COPILOT };

    const result = await runBinary(["run", "--root", root], { env });
    expect(result.stderr).toContain("timeout");
    expect(sleepers()).toEqual([]);

    const runs = join(root, "results", "attack");
    const [runId] = readdirSync(runs);
    const trial = join(runs, runId!, "variants/attacker/tasks/attack/trials/001");
    const meta = JSON.parse(readFileSync(join(trial, "meta.json"), "utf8"));
    expect(meta.status).toBe("timeout");
    expect(meta.success).toBe(true);
    // The agent reached its last step before the timeout (the model asks for it only once the
    // processes were started): what is checked below was really left behind.
    expect(readFileSync(join(trial, "events.jsonl"), "utf8")).toContain("sleep past the timeout");
    // The harness's diff ran none of the agent's drivers; the diff still shows the change.
    for (const name of ["filter-env.txt", "fsmonitor-env.txt", "textconv-env.txt", "hook-env.txt"]) {
      expect(existsSync(join(trial, "workspace", name))).toBe(false);
    }
    expect(readFileSync(join(trial, "workspace.diff"), "utf8")).toContain("+changed");
    // verify runs the agent's code: it gets the agent's scrubbed environment, no secret at all.
    const verify = JSON.parse(readFileSync(join(trial, "verify.json"), "utf8"));
    expect(verify.output).toContain("saw K= G= H=\n");
    // The stored workspace is defused: its git config is the baseline's again.
    expect(readFileSync(join(trial, "workspace/.git/config"), "utf8")).not.toContain("leak");
    expect(existsSync(join(trial, "workspace/.git/hooks/pre-commit"))).toBe(false);
    // No secret value anywhere under results/.
    for (const file of filesUnder(join(root, "results"))) {
      const text = readFileSync(file, "latin1");
      for (const value of Object.values(SECRETS))
        expect({ file, leaked: text.includes(value) }).toEqual({ file, leaked: false });
    }

    const check = await runBinary(["check", "--root", root], { env });
    expect(check.code).toBe(0);
    expect(sleepers()).toEqual([]);

    // Nothing left behind keeps writing into the stored workspace.
    expect(existsSync(join(trial, "workspace", "late.txt"))).toBe(false);
  });
});

/** An agent that leaves a `setsid` child and one that also clears its environment, then waits. */
const lingerer = (n: number) => `steps:
  - tool: bash
    args:
      description: leave processes behind, then wait
      command: >-
        setsid sh -c 'sleep ${n}' > /dev/null 2>&1 < /dev/null &
        (env -i setsid sleep ${n + 1} > /dev/null 2>&1 < /dev/null &) ;
        echo started
  - tool: bash
    args: {command: "sleep 120", description: wait}
  - message: done
`;

/** Processes whose command line sleeps exactly `n` seconds (unique per test). */
function sleeping(n: number): string[] {
  return sleepers(new RegExp(`sleep ${n}\\b`));
}

function lingererRoot(n: number): string {
  return writeTree(tempDir("cx-contain-"), {
    // The process scopes and the subreaper on their own: the sandbox (its PID namespace) would
    // take these processes down by itself (test/e2e/sandbox.test.ts).
    "experiments/linger.yaml": `name: Linger
sandbox: none
task: {name: linger, prompt: Wait., fixture: fixtures/app, timeout_s: 60}
variants:
  - name: lingerer
    provider: {script: scripts/lingerer.yaml}
`,
    "scripts/lingerer.yaml": lingerer(n),
    "fixtures/app/README.md": "app\n",
  });
}

// Generous: on a busy machine a real CLI can take a minute to reach its step.
async function waitFor(predicate: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await Bun.sleep(100);
  }
}

/** Kills every process of a lingerer test (`sleep n` and `sleep n+1`), whatever the test's outcome. */
function killAll(n: number): void {
  for (const entry of [...sleeping(n), ...sleeping(n + 1)]) {
    try {
      process.kill(Number(entry.split(":")[0]), "SIGKILL");
    } catch {
      // already gone
    }
  }
}

const unique = () => 50_000 + Math.floor(Math.random() * 40_000) * 2;

describe.skipIf(process.platform !== "linux")("processes of an interrupted or killed run", () => {
  test.concurrent("Ctrl-C: the harness stops the trial and nothing it started is left", async () => {
    const n = unique();
    const root = lingererRoot(n);
    const { ensureBinary } = await import("../helpers/cli.ts");
    const proc = Bun.spawn([await ensureBinary(), "run", "--root", root], {
      env: { ...process.env, COPILOT_BIN: COPILOT, CI: "true" },
      stdout: "ignore",
      stderr: "pipe",
    });
    try {
      await waitFor(() => sleeping(n).length >= 2 && sleeping(n + 1).length >= 1);
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(130);
      expect([...sleeping(n), ...sleeping(n + 1)]).toEqual([]);
    } finally {
      killAll(n);
    }
  });

  test.concurrent("kill -9 of the harness, then --resume: the leftovers and the raw staging folders are swept", async () => {
    const n = unique();
    const root = lingererRoot(n);
    const tmp = tempDir("cx-contain-tmp-");
    const { ensureBinary } = await import("../helpers/cli.ts");
    const binary = await ensureBinary();
    const env = { ...process.env, COPILOT_BIN: COPILOT, CI: "true", TMPDIR: tmp };
    const proc = Bun.spawn([binary, "run", "--root", root], { env, stdout: "ignore", stderr: "ignore" });
    try {
      await waitFor(() => sleeping(n).length >= 2);
      proc.kill("SIGKILL");
      await proc.exited;
      // The harness is gone; what its trial started lives on, and its raw staging folder remains.
      // (A process that also cleared its environment can no longer be told apart once the harness
      // is killed outright: the README's Security model states this limit; the sandbox lifts it.)
      const left = sleeping(n);
      expect(left.length).toBeGreaterThan(0);
      const staged = readdirSync(tmp).filter((name) => name.startsWith("cx-trial-"));
      expect(staged.length).toBe(1);

      const resumed = Bun.spawn([binary, "run", "--root", root, "--resume"], {
        env,
        stdout: "ignore",
        stderr: "pipe",
      });
      // Still running: the same process (a zombie has no command line; a reused pid another).
      const alive = (entry: string) => sleepers(/.*/).includes(entry);
      const swept = () => !left.some(alive) && !existsSync(join(tmp, staged[0]!));
      await waitFor(swept).catch(async (err) => {
        resumed.kill("SIGKILL");
        const stderr = await new Response(resumed.stderr).text();
        throw new Error(
          `${err.message}: left ${JSON.stringify(left.filter(alive))}, staging kept ${existsSync(join(tmp, staged[0]!))}; the resumed run said:\n${stderr}`,
        );
      });
      // The resumed trial runs the same script: wait for its own lingerers, then stop it too.
      await waitFor(() => sleeping(n).length >= 2);
      resumed.kill("SIGINT");
      expect(await resumed.exited).toBe(130);
      expect(sleeping(n)).toEqual([]);
      expect(readdirSync(tmp).filter((name) => name.startsWith("cx-trial-"))).toEqual([]);
    } finally {
      // Whatever happened above, nothing of this test outlives it (also the one that cleared its
      // environment, which only the sandbox could have ended).
      killAll(n);
    }
  });
});

describe("sources and bounds through the binary", () => {
  test.concurrent("a fixture linked to a folder outside the root is refused with exit 2; the folder is untouched", async () => {
    const outside = writeTree(tempDir("cx-contain-"), { "myrepo/main.py": "print(1)\n" });
    const root = writeTree(tempDir("cx-contain-"), {
      "experiments/e.yaml":
        "name: E\ntask: {prompt: p, fixture: fixtures/myrepo, verify: 'true'}\nvariants: [{name: v}]\n",
    });
    const { mkdirSync, symlinkSync } = await import("node:fs");
    mkdirSync(join(root, "fixtures"));
    symlinkSync(join(outside, "myrepo"), join(root, "fixtures/myrepo"));
    for (const command of [["check"], ["run", "--dry-run"], ["run"]]) {
      const result = await runBinary([...command, "--root", root], { env: { COPILOT_BIN: COPILOT } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('task.fixture: fixture "fixtures/myrepo" leads through a symlink to');
    }
    expect(readdirSync(join(outside, "myrepo"))).toEqual(["main.py"]);
    expect(existsSync(join(root, "results"))).toBe(false);
  });

  test.concurrent("a 200 KB prompt reaches the model whole (on stdin, not as an argument)", async () => {
    const log = join(tempDir("cx-contain-"), "requests.jsonl");
    const prompt = `Reply done. ${"lorem ipsum ".repeat(17_000)}`;
    const root = writeTree(tempDir("cx-contain-"), {
      "experiments/big.yaml": `name: Big\ntask: {name: big, prompt: ${JSON.stringify(prompt)}, fixture: fixtures/app}\nvariants: [{name: idle, provider: {script: idle}}]\n`,
      "fixtures/app/README.md": "app\n",
    });
    const result = await runBinary(["run", "--root", root], {
      env: { COPILOT_BIN: COPILOT, COPILOT_EXPERIMENTS_SCRIPTED_LOG: log },
    });
    expect(result.code).toBe(0);
    const first = JSON.parse(readFileSync(log, "utf8").split("\n")[0]!);
    const user = first.body.messages.find((m: { role: string }) => m.role === "user");
    expect(JSON.stringify(user.content)).toContain(prompt.slice(-1000));
    expect(JSON.stringify(user.content).length).toBeGreaterThan(200_000);
  });
});

describe("one writer per run", () => {
  test.concurrent("a second --resume of a running run is refused with exit 2 naming the holder", async () => {
    const { writeFakeCopilot } = await import("../helpers/fake-copilot.ts");
    const { ensureBinary } = await import("../helpers/cli.ts");
    const root = writeTree(tempDir("cx-contain-"), {
      "experiments/slow.yaml":
        "name: Slow\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: v, env: {FAKE_SLEEP_S: '30'}}]\n",
      "fixtures/app/README.md": "app\n",
    });
    const env = {
      ...process.env,
      COPILOT_BIN: writeFakeCopilot(),
      COPILOT_GITHUB_TOKEN: "github_pat_fake",
      CI: "true",
    };
    const first = Bun.spawn([await ensureBinary(), "run", "--root", root], {
      env,
      stdout: "ignore",
      stderr: "ignore",
    });
    const runs = join(root, "results", "slow");
    // The run that holds the lock: beside it, the folder of its early snapshots may not have
    // moved in yet (docs/results-format.md, "Workspaces and snapshots").
    const locked = () =>
      existsSync(runs) ? readdirSync(runs).find((r) => existsSync(join(runs, r, ".lock.whole"))) : undefined;
    let runId: string | undefined;
    await waitFor(() => {
      runId = locked();
      return runId !== undefined;
    });
    const second = await runBinary(["run", "--root", root, "--resume", runId!], { env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is in use: run (pid ${first.pid} on `);
    first.kill("SIGINT");
    expect(await first.exited).toBe(130);
    expect(readdirSync(join(runs, runId!)).filter((n) => n.startsWith(".lock"))).toEqual([]);
  });
});

describe("secrets and hostile strings, as the review planted them", () => {
  test("no planted value in any file under results/ or any command's output; escapes and formulas are neutralised", async () => {
    const planted = {
      MY_API_KEY: "sk-live-review-value-1f2e3d",
      PROV_KEY: "prov-review-value-9a8b7c",
      GITHUB_TOKEN: "ghu_review_github_token_5d4c",
      GH_TOKEN: "ghu_review_gh_token_3b2a19",
    };
    const root = writeTree(tempDir("cx-contain-"), {
      "experiments/leaky.yaml": `name: Leaky
tasks:
  - name: '=HYPERLINK("http://evil.example","x")'
    prompt: "Fix it. The key is \${MY_API_KEY}."
    fixture: fixtures/app
    setup: ["echo setup sees $MY_API_KEY"]
    verify: "echo verify prints \${MY_API_KEY}; printf 'osc\\\\033]52;c;ZXZpbA==\\\\007end'; false"
variants:
  - name: keyed
    provider: {script: idle, api_key: "\${PROV_KEY}"}
`,
      "fixtures/app/README.md": "app\n",
    });
    const scratch = tempDir("cx-contain-");
    const junit = join(scratch, "junit.xml");
    const stepSummary = join(scratch, "step-summary.md");
    const env = { ...planted, COPILOT_BIN: COPILOT, GITHUB_STEP_SUMMARY: stepSummary };
    const outputs: string[] = [];
    const runResult = await runBinary(["run", "--root", root, "--junit", junit], { env });
    outputs.push(runResult.stdout, runResult.stderr);
    const report = join(scratch, "report.html");
    for (const args of [
      ["show", "--last"],
      ["show", "--last", "--json"],
      ["inspect", "--last"],
      ["inspect", "--last", "--json"],
      ["analyze", "--last"],
      ["analyze", "--last", "--json"],
      ["export", "--last", "--format", "csv"],
      ["export", "--last", "--format", "jsonl"],
      ["list"],
      ["list", "--json"],
      ["report", "--last", "--out", report],
    ]) {
      const r = await runBinary([...args, "--root", root], { env });
      expect({ args, code: r.code, stderr: r.stderr }).toMatchObject({ args, code: 0 });
      outputs.push(r.stdout, r.stderr);
    }
    const files = [...filesUnder(join(root, "results")), junit, stepSummary, report];
    const texts = [...files.map((f) => readFileSync(f, "latin1")), ...outputs];
    for (const value of Object.values(planted)) {
      expect(files.filter((f) => readFileSync(f, "latin1").includes(value))).toEqual([]);
      expect(outputs.filter((o) => o.includes(value))).toEqual([]);
    }
    expect(texts.join("\n")).toContain("verify prints ***redacted***");
    // setup runs with the agent's scrubbed environment: it never saw the key at all
    const trialDir = filesUnder(join(root, "results")).find((f) => f.endsWith("setup.txt"))!;
    expect(readFileSync(trialDir, "utf8")).toContain("setup sees\n");
    // terminal output carries no escape sequence from the verify output or the names
    for (const o of outputs.filter((_, i) => i !== 8 && i !== 9)) expect(o).not.toContain("\u001b]52");
    // CSV: the task name is not a formula any more
    const csv = outputs[14]!;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  });
});
