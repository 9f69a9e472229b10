import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { probeBwrap } from "../../src/sandbox/bwrap.ts";
import { PROJECT_ROOT, runBinary } from "../helpers/cli.ts";
import { COPILOT } from "../helpers/example-root.ts";
import { writeFakeCopilot } from "../helpers/fake-copilot.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, bubblewrap, git, the compiled binary).
setDefaultTimeout(120_000);

/**
 * The sandbox (README, Sandbox): with the real CLI and the scripted provider, an agent runs a
 * script that tries to write to $HOME, /var/tmp, up out of its workspace, /etc and into a
 * sibling trial's workspace, and leaves a daemon. Under bwrap every write outside fails and the
 * daemon dies with the trial; without a sandbox (the control) the same script succeeds.
 */

const probe = await probeBwrap();
const bwrapWorks = probe.ok;
if (!probe.ok) console.warn(`SKIPPED: the bwrap sandbox tests, since ${probe.reason}. ${probe.hint}`);
const n = 60_000 + Math.floor(Math.random() * 30_000);
const ESCAPES = {
  home: join(homedir(), `cx-escape-${n}`),
  vartmp: `/var/tmp/cx-escape-${n}`,
  etc: `/etc/cx-escape-${n}`,
};

afterAll(() => {
  for (const path of Object.values(ESCAPES)) rmSync(path, { force: true });
});

const ATTACK = `#!/bin/sh
try() { if (eval "$2") 2>/dev/null; then echo "$1 WROTE"; else echo "$1 refused"; fi; }
try home "echo x > $HOME/cx-escape-${n}"
try vartmp "echo x > /var/tmp/cx-escape-${n}"
try climb "echo x > ../../../cx-escape-${n}"
try etc "echo x > /etc/cx-escape-${n}"
me=$(basename "$(dirname "$PWD")"); other=001; [ "$me" = 001 ] && other=002
[ -d ../../$other/workspace ] && try sibling "echo x > ../../$other/workspace/cx-escape-${n}"
snap=$(cat .git/objects/info/alternates)
try snapshot "chmod u+w $snap && echo x > $snap/cx-escape-${n}"
echo inside > inside.txt
setsid sleep ${n} > /dev/null 2>&1 < /dev/null &
echo done
`;

// The experiment root lies outside /tmp: inside the sandbox /tmp is a private tmpfs, where a
// climb out of the workspace would land harmlessly but prove nothing about the real folders.
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function attackRoot(sandbox: string): string {
  const root = mkdtempSync("/var/tmp/cx-sandbox-");
  roots.push(root);
  return writeTree(root, {
    "experiments/escape.yaml": `name: Escape
sandbox: ${sandbox}
task: {name: escape, prompt: Run the script., fixture: fixtures/app, timeout_s: 120}
variants:
  - name: attacker
    trials: 2
    provider: {script: scripts/attack.yaml}
`,
    "scripts/attack.yaml": `steps:
  - tool: bash
    args: {command: "sh attack.sh", description: run the script}
  - message: done
`,
    "fixtures/app/attack.sh": ATTACK,
  });
}

function daemons(): string[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").replaceAll("\0", " ").trim() === `sleep ${n}`;
      } catch {
        return false;
      }
    });
}

async function attack(sandbox: string) {
  const root = attackRoot(sandbox);
  const result = await runBinary(["run", "--root", root, "--concurrency", "1"], {
    env: { COPILOT_BIN: COPILOT },
  });
  expect(result.code).toBe(0);
  const runs = join(root, "results", "escape");
  const runDir = join(runs, readdirSync(runs)[0]!);
  const trial = (k: number) =>
    join(runDir, "variants/attacker/tasks/escape/trials", String(k).padStart(3, "0"));
  const events = [1, 2].map((k) => readFileSync(join(trial(k), "events.jsonl"), "utf8")).join("\n");
  return { root, runDir, trial, events };
}

describe.skipIf(!bwrapWorks)("the bwrap sandbox", () => {
  test("every write outside the workspace fails, the write inside lands in the diff, the daemon dies", async () => {
    const { runDir, trial, events } = await attack("bwrap");
    for (const where of ["home", "vartmp", "climb", "etc", "snapshot"]) {
      expect(events).toContain(`${where} refused`);
    }
    expect(events).toContain("sibling refused");
    expect(events).not.toContain("WROTE");
    for (const path of Object.values(ESCAPES)) expect(existsSync(path)).toBe(false);
    expect(existsSync(join(runDir, "variants/attacker/tasks", `cx-escape-${n}`))).toBe(false);
    expect(existsSync(join(trial(1), "workspace", `cx-escape-${n}`))).toBe(false);
    expect(readFileSync(join(trial(1), "workspace.diff"), "utf8")).toContain("+inside");
    expect(daemons()).toEqual([]);
    const record = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(record.options.sandbox).toBe("bwrap");
    const meta = JSON.parse(readFileSync(join(trial(2), "meta.json"), "utf8"));
    expect(meta.sandbox).toBe("bwrap");
  });

  test("a sandbox_writable path that does not exist is a preflight error (exit 2) naming it", async () => {
    const root = writeTree(tempDir("cx-sandbox-"), {
      "experiments/e.yaml": `name: E\nsandbox: bwrap\nsandbox_writable: [cache/pip]\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: v}]\n`,
      "fixtures/app/README.md": "app\n",
    });
    const env = { COPILOT_BIN: writeFakeCopilot(), COPILOT_GITHUB_TOKEN: "github_pat_fake_for_tests" };
    const result = await runBinary(["run", "--root", root], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `sandbox_writable names ${join(root, "cache/pip")}, which does not exist`,
    );
    expect(result.stderr).toContain("mkdir -p");
    expect(existsSync(join(root, "results"))).toBe(false);
  });

  test("the control: without a sandbox the same script escapes (so the test above can fail)", async () => {
    const { trial, events } = await attack("none");
    expect(events).toContain("home WROTE");
    expect(events).toContain("sibling WROTE");
    expect(events).toContain("snapshot WROTE");
    expect(existsSync(ESCAPES.home)).toBe(true);
    expect(existsSync(join(trial(1), "workspace", `cx-escape-${n}`))).toBe(true);
    // even without a sandbox, the trial's daemon does not outlive it (process scopes)
    expect(daemons()).toEqual([]);
  });
});

describe("without bubblewrap on PATH", () => {
  /** PATH with everything of /usr/bin and /bin but bwrap. */
  function pathWithoutBwrap(): string {
    const bin = join(tempDir("cx-sandbox-bin-"), "bin");
    mkdirSync(bin);
    for (const dir of ["/usr/bin", "/bin"]) {
      for (const name of readdirSync(dir)) {
        if (name === "bwrap" || existsSync(join(bin, name))) continue;
        symlinkSync(join(dir, name), join(bin, name));
      }
    }
    return bin;
  }
  const PATH = pathWithoutBwrap();
  const experiment = (sandbox: string) =>
    writeTree(tempDir("cx-sandbox-"), {
      "experiments/e.yaml": `name: E\nsandbox: ${sandbox}\ntask: {prompt: p, fixture: fixtures/app}\nvariants: [{name: v}]\n`,
      "fixtures/app/README.md": "app\n",
    });
  const env = { PATH, COPILOT_BIN: writeFakeCopilot(), COPILOT_GITHUB_TOKEN: "github_pat_fake_for_tests" };

  test("sandbox: bwrap is a preflight error (exit 2) that says how to install it; no workspace exists", async () => {
    const root = experiment("bwrap");
    for (const args of [["run"], ["run", "--dry-run"], ["check"]]) {
      const result = await runBinary([...args, "--root", root], { env });
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain("bubblewrap (bwrap) is not installed");
      expect(result.stderr).toContain("apt-get install bubblewrap");
      expect(existsSync(join(root, "results"))).toBe(false);
    }
    const doctor = await runBinary(["doctor", "--root", root], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain("sandbox       none: bubblewrap (bwrap) is not installed");
    expect(doctor.stdout).toMatch(/✗ sandbox: bwrap was asked for .*bubblewrap \(bwrap\) is not installed/);
    // the flag overrides the experiment
    const flagged = await runBinary(["run", "--root", experiment("none"), "--sandbox", "bwrap"], { env });
    expect(flagged.code).toBe(2);
  });

  test("sandbox: auto runs without one and says so in one line; run.json and meta.json record none", async () => {
    const root = experiment("auto");
    const result = await runBinary(["run", "--root", root], { env });
    expect(result.code).toBe(0);
    expect(result.stderr.match(/sandbox auto → none: bubblewrap \(bwrap\) is not installed/g)).toHaveLength(
      1,
    );
    const runs = join(root, "results", "e");
    const runDir = join(runs, readdirSync(runs)[0]!);
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")).options.sandbox).toBe("none");
    const meta = JSON.parse(
      readFileSync(join(runDir, "variants/v/tasks/task-001/trials/001/meta.json"), "utf8"),
    );
    expect(meta.sandbox).toBe("none");
  });

  test("--sandbox takes only the documented modes", async () => {
    const result = await runBinary(["run", "--root", experiment("auto"), "--sandbox", "docker"], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--sandbox must be one of auto, bwrap, none");
    expect(PROJECT_ROOT).toBeTruthy();
  });
});

describe.skipIf(!bwrapWorks)("the sandbox's PID namespace", () => {
  test("kill -9 of the harness takes every process of its trials down, including those that cleared their environment", async () => {
    const m = n + 1;
    const root = mkdtempSync("/var/tmp/cx-sandbox-");
    roots.push(root);
    writeTree(root, {
      "experiments/linger.yaml": `name: Linger
sandbox: bwrap
task: {name: linger, prompt: Wait., fixture: fixtures/app, timeout_s: 60}
variants: [{name: lingerer, provider: {script: scripts/lingerer.yaml}}]
`,
      "scripts/lingerer.yaml": `steps:
  - tool: bash
    args: {command: "sh linger.sh", description: leave processes}
  - tool: bash
    args: {command: "sleep 120", description: wait}
  - message: done
`,
      "fixtures/app/linger.sh": `setsid sh -c 'sleep ${m}' > /dev/null 2>&1 < /dev/null &\n(env -i setsid sleep ${m} > /dev/null 2>&1 < /dev/null &)\necho started\n`,
    });
    const { ensureBinary } = await import("../helpers/cli.ts");
    // The harness cannot clean up after a kill -9: its staging folders go to a TMPDIR removed here.
    const proc = Bun.spawn([await ensureBinary(), "run", "--root", root], {
      env: { ...process.env, COPILOT_BIN: COPILOT, CI: "true", TMPDIR: tempDir("cx-sandbox-tmp-") },
      stdout: "ignore",
      stderr: "ignore",
    });
    const sleeping = () =>
      readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`sleep\u0000${m}`);
          } catch {
            return false;
          }
        });
    const end = Date.now() + 60_000;
    while (sleeping().length < 2 && Date.now() < end) await Bun.sleep(100);
    expect(sleeping().length).toBeGreaterThanOrEqual(2);
    proc.kill("SIGKILL");
    await proc.exited;
    // bwrap dies with its parent, and its PID namespace with it: nothing needs a --resume sweep.
    const settle = Date.now() + 5_000;
    while (sleeping().length > 0 && Date.now() < settle) await Bun.sleep(50);
    expect(sleeping()).toEqual([]);
  });
});
