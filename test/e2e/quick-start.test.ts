import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ensureBinary, PROJECT_ROOT } from "../helpers/cli.ts";
import { COPILOT } from "../helpers/example-root.ts";
import { tempDir } from "../helpers/tmp.ts";

/**
 * The README's quick start, run as written in a clean shell: a fresh HOME, no GitHub token, a
 * PATH with only ~/.local/bin (as many distributions set it up), the system, Bun and a Copilot
 * CLI (the dev dependency) — a new user's machine.
 * The Copilot runtime it extracts is shared with the user's cache (XDG_CACHE_HOME), as on a
 * machine where the CLI has run before.
 */

/** The shell block the README marks as the quick start. */
function quickStartBlock(): string {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const marker = readme.indexOf("<!-- quick-start:");
  expect(marker).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker));
  return block![1]!;
}

describe("quick start", () => {
  test("install-local → init from anywhere → check → run (no token) → show → report, as the README says", async () => {
    await ensureBinary(); // built once for the suite; install-local then only copies it
    const home = tempDir("cx-quick-home-");
    const copilotDir = join(home, "copilot-cli");
    mkdirSync(copilotDir);
    symlinkSync(COPILOT, join(copilotDir, "copilot"));
    const script = quickStartBlock();
    expect(script).toContain("copilot-experiments init my-lab");

    const proc = Bun.spawn(["bash", "-e", "-o", "pipefail", "-c", script], {
      cwd: PROJECT_ROOT,
      env: {
        HOME: home,
        PATH: [join(home, ".local", "bin"), copilotDir, dirname(process.execPath), "/usr/bin", "/bin"].join(
          ":",
        ),
        XDG_CACHE_HOME: process.env.XDG_CACHE_HOME || join(homedir(), ".cache"),
        LANG: "C.UTF-8",
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    const output = `${stdout}\n${stderr}`;
    if (code !== 0) console.error(output);
    expect(code).toBe(0);

    expect(existsSync(join(home, ".local", "bin", "copilot-experiments"))).toBe(true);
    expect(stderr).toContain(`installed ${join(home, ".local", "bin", "copilot-experiments")}`);
    const lab = join(home, "my-lab");
    expect(existsSync(join(lab, "experiments", "example.yaml"))).toBe(true);
    // check: the task is sound.
    expect(stdout).toMatch(/fix-greeting\s+fails\s+passes\s+✓ ok/);
    // run: the scripted variant through the real CLI, no token; both trials pass.
    expect(stderr).toMatch(/\[2\/2\] pass\s+scripted \/ fix-greeting #\d/);
    expect(stderr).toMatch(/✔ my-lab: run \S+ completed — report: /);
    // show --last: the run, its success with the interval and its n.
    expect(stdout).toMatch(/my-lab · run \S+ · completed/);
    expect(stdout).toMatch(/scripted\s+2\s+100% \[34–100\] n=2/);
    // report --last prints the report's path, relative to the lab.
    const report = /^(results\/my-lab\/\S+\/report\.html)$/m.exec(stdout)?.[1];
    expect(report).toBeDefined();
    expect(existsSync(join(lab, report!))).toBe(true);
    // Nothing was written into the clone.
    expect(existsSync(join(PROJECT_ROOT, "my-lab"))).toBe(false);
  }, 180_000);
});
