import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync } from "node:fs";
import { commands } from "../../src/cli/commands/index.ts";
import { ensureBinary, runCli } from "../helpers/cli.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, the compiled binary): a minute per test unless it says otherwise.
setDefaultTimeout(60_000);

describe("CLI frame", () => {
  test.each(Object.keys(commands))("%s --help prints its usage and exits 0", async (name) => {
    const { code, stdout } = await runCli([name, "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`copilot-experiments ${name}`);
    expect(stdout).toContain(`Usage: copilot-experiments ${name}`);
  });

  test("--help lists every command", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const name of Object.keys(commands)) expect(stdout).toContain(name);
  });

  test("unknown command suggests the closest one and exits 2", async () => {
    const { code, stderr, stdout } = await runCli(["lsit"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("unknown command `lsit`");
    expect(stderr).toContain("Did you mean `list`?");
  });

  test("an unknown command is exit 2 however it is asked for, an object's own method names too", async () => {
    for (const argv of [
      ["nosuch", "--help"],
      ["help", "nosuch"],
      ["constructor", "--help"],
      ["help", "toString"],
      ["toString"],
    ]) {
      const { code, stderr, stdout } = await runCli(argv);
      expect({ argv, code, stdout }).toEqual({ argv, code: 2, stdout: "" });
      expect(stderr).toContain(`unknown command \``);
      expect(stderr).not.toContain("This is a bug");
    }
  });

  test("--help wraps to the terminal's width, and to 80 columns when piped", async () => {
    if (!Bun.which("script")) return console.warn("skipped: `script` (util-linux) is not installed");
    const binary = await ensureBinary();
    for (const argv of ["--help", "run --help"]) {
      const tty = Bun.spawnSync(["script", "-qec", `stty cols 50; ${binary} ${argv}`, "/dev/null"], {
        env: { ...process.env, COLUMNS: undefined },
      });
      const shown = tty.stdout.toString().replace(/\r/g, "").split("\n");
      expect(shown.filter((l) => l.length > 50)).toEqual([]);
      expect(shown.some((l) => l.length > 40)).toBe(true);
      const piped = await runCli(argv.split(" "), { env: { COLUMNS: undefined } });
      const lines = piped.stdout.split("\n");
      expect(lines.filter((l) => l.length > 80)).toEqual([]);
      expect(lines.some((l) => l.length > 50)).toBe(true);
    }
  });

  test("unknown option is refused, not ignored", async () => {
    const { code, stderr } = await runCli(["list", "--jsn"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option --jsn for `list`");
    expect(stderr).toContain("Did you mean --json?");
  });

  test("an invalid experiment: check exits 2 with every problem, no stack trace; list reports it; nothing is written", async () => {
    const root = writeTree(tempDir(), {
      "experiments/bad.yaml":
        "name: Bad\ntask:\n  prompt: x\n  fixture: fixtures/none\nvariants:\n  - reasoning_effort: hihg\n",
    });
    const before = readdirSync(root).sort();
    const fixture = 'experiments/bad.yaml:4:12: task.fixture: fixture folder "fixtures/none" does not exist';
    const effort = "experiments/bad.yaml:6:23: variants[0].reasoning_effort: expected one of";
    const { code, stderr, stdout } = await runCli(["check", "--root", root]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("error: 2 problems in experiments/bad.yaml");
    expect(stderr).toContain(fixture);
    expect(stderr).toContain(effort);
    expect(stderr).toContain("hint:");
    expect(stderr).not.toMatch(/\n\s+at /);
    // A broken file does not block `list` (README, Commands): it is shown with its problems.
    const list = await runCli(["list", "--root", root]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("Not loaded: 2 problems in experiments/bad.yaml");
    expect(list.stdout).toContain(fixture);
    expect(list.stdout).toContain(effort);
    expect(readdirSync(root).sort()).toEqual(before);
  });

  test("logs go to stderr, data to stdout", async () => {
    const { code, stdout } = await runCli(["list", "--json"]);
    expect(code).toBe(0);
    expect(() => JSON.parse(stdout)).not.toThrow();
  });
});
