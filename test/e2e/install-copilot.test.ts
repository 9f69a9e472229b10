import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveRegistry } from "../../src/copilot/install/npm-config.ts";
import { detectCopilotPlatform } from "../../src/copilot/install/platform.ts";
import { PINNED_COPILOT_VERSION } from "../../src/version.ts";
import { PROJECT_ROOT, runBinary, runCommand } from "../helpers/cli.ts";
import { copyExampleRoot } from "../helpers/example-root.ts";
import { nodelessPath } from "../helpers/nodeless-path.ts";
import { removeCreated, tempDir } from "../helpers/tmp.ts";

// Real processes and the real npm registry (downloads of 60–180 MB): five minutes per test on a busy machine.
setDefaultTimeout(300_000);
// Hundreds of MB of temporary files: removed when this file is done, not at the end of the suite.
afterAll(removeCreated, 120_000);

/**
 * install-copilot against the registry this machine reaches (npm's own configuration), through
 * the built binary, on a PATH without Node: the CLI it installs runs the bundled example, and
 * what every trial records is the version that ran. Both downloads happen at once in beforeAll;
 * half of the example (every variant, both tasks) shows the CLI runs, while the old CLI (its own
 * HOME and root) is refused at the same time.
 */

const OLD = "1.0.80";
const ANCIENT = "0.0.371";
const platform = detectCopilotPlatform();

/** The registry, or why the tests cannot use it. */
async function reachRegistry(): Promise<{ url?: string; why?: string }> {
  try {
    const registry = await resolveRegistry({ root: PROJECT_ROOT, env: process.env });
    const res = await fetch(`${registry.url}/@github%2fcopilot-${platform}`, {
      headers: { accept: "application/vnd.npm.install-v1+json" },
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) return { why: `the npm registry (${registry.source}) answered ${res.status}` };
    return { url: registry.url };
  } catch (err) {
    return { why: `the npm registry cannot be reached: ${(err as Error).message}` };
  }
}

const reach = await reachRegistry();
if (!reach.url) console.warn(`skipped install-copilot tests: ${reach.why}`);

describe.skipIf(!reach.url)("install-copilot from the npm registry", () => {
  let cache: string;
  let env: Record<string, string | undefined>;
  let installed: { path: string; integrity: string; version: string; source?: string };
  let ancientEnv: Record<string, string | undefined>;
  let ancient: { path: string };

  beforeAll(async () => {
    cache = tempDir("cx-install-cache-");
    // No Node or Bun on PATH, so npm cannot be asked: the registry comes from npm's variable.
    env = { PATH: nodelessPath(), COPILOT_EXPERIMENTS_CACHE: cache, npm_config_registry: reach.url };
    expect(Bun.which("node", { PATH: env.PATH })).toBeNull();
    // A 0.0.x loader extracts its runtime under ~/.copilot/pkg whatever COPILOT_HOME says: give it a HOME of its own.
    ancientEnv = { ...env, HOME: tempDir("cx-home-") };
    // Independent downloads (each install extracts into a staging folder of its own): at once.
    const [r, r0] = await Promise.all([
      runBinary(["install-copilot", OLD, "--json"], { env, cwd: tempDir() }),
      runBinary(["install-copilot", ANCIENT, "--no-default", "--json"], { env: ancientEnv, cwd: tempDir() }),
    ]);
    if (r.code !== 0) throw new Error(`install-copilot ${OLD} failed: ${r.stderr}`);
    if (r0.code !== 0) throw new Error(`install-copilot ${ANCIENT} failed: ${r0.stderr}`);
    installed = JSON.parse(r.stdout);
    ancient = JSON.parse(r0.stdout);
  }, 300_000);

  test("installs the platform package, checked against the registry's integrity hash, as the default", async () => {
    const res = await fetch(`${reach.url}/@github%2fcopilot-${platform}`, {
      headers: { accept: "application/vnd.npm.install-v1+json" },
    });
    const packument = (await res.json()) as { versions: Record<string, { dist: { integrity: string } }> };
    expect(installed.integrity).toBe(packument.versions[OLD]!.dist.integrity);
    expect(installed.path).toBe(join(cache, "copilot", OLD, platform, "copilot"));
    expect(JSON.parse(readFileSync(join(cache, "copilot", "default.json"), "utf8"))).toEqual({
      version: OLD,
      platform,
    });
    const again = await runBinary(["install-copilot", OLD], { env, cwd: tempDir() });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `@github/copilot-${platform}@${OLD} is installed and is the default CLI for runs`,
    );
  });

  test.concurrent("runs the bundled example without Node; run.json and every trial say the version that ran, not the newer cached runtime", async () => {
    // The trap: once a newer runtime is extracted in the CLI's cache, a plain `--version` of the
    // older binary reports the newer one.
    const pinned = join(PROJECT_ROOT, `node_modules/@github/copilot-${platform}/copilot`);
    const warm = await runCommand([pinned, "--no-auto-update", "--version"]);
    expect(warm.stdout).toContain(PINNED_COPILOT_VERSION);
    const plain = await runCommand([installed.path, "--version"]);
    expect(plain.stdout).toContain(PINNED_COPILOT_VERSION);

    const root = copyExampleRoot();
    const doctor = await runBinary(["doctor", "--json"], { env, cwd: root });
    const report = JSON.parse(doctor.stdout);
    expect(report.copilot).toMatchObject({
      source: "install-copilot",
      version: OLD,
      unpinned_version: PINNED_COPILOT_VERSION,
    });
    expect(doctor.code).toBe(0);

    // Half of the example's ten cells (shard 1/2): every variant and both tasks, five trials.
    const run = await runBinary(["run", "--shard", "1/2", "--run-id", "half", "--concurrency", "3"], {
      env,
      cwd: root,
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Copilot CLI ${OLD} (install-copilot)`);
    const [runId] = readdirSync(join(root, "results", "fix-the-calculator"));
    const runDir = join(root, "results", "fix-the-calculator", runId!);
    const record = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(record.copilot).toEqual({
      version: OLD,
      binary: installed.path,
      source: "install-copilot",
      versions_ran: {
        ran: [{ version: OLD, trials: 5 }],
        unknown: 0,
        mixed: false,
        mismatch: false,
        warning: null,
      },
    });
    const trials: {
      variant: string;
      task: string;
      status: string;
      success: boolean | null;
      version: string;
    }[] = [];
    for (const variant of readdirSync(join(runDir, "variants"))) {
      for (const task of readdirSync(join(runDir, "variants", variant, "tasks"))) {
        const dir = join(runDir, "variants", variant, "tasks", task, "trials");
        // A shard lays out every cell's folders; only its own cells have trials.
        for (const n of existsSync(dir) ? readdirSync(dir) : []) {
          const meta = JSON.parse(readFileSync(join(dir, n, "meta.json"), "utf8"));
          const analysis = JSON.parse(readFileSync(join(dir, n, "analysis.json"), "utf8"));
          trials.push({
            variant,
            task,
            status: meta.status,
            success: meta.success,
            version: analysis.copilot_version,
          });
        }
      }
    }
    expect(trials.map((t) => `${t.variant}/${t.task}`).sort()).toEqual([
      "fixer-with-instructions/fix-divide",
      "idle-agent/fix-multiply",
      "scripted-fixer/fix-divide",
      "scripted-fixer/fix-multiply",
      "scripted-fixer/fix-multiply",
    ]);
    expect(new Set(trials.map((t) => t.version))).toEqual(new Set([OLD]));
    expect(trials.every((t) => t.status === "ok")).toBe(true);
    expect(trials.filter((t) => t.variant !== "idle-agent").every((t) => t.success)).toBe(true);
  });

  test.concurrent(`${ANCIENT} is refused for a provider variant with exit 2 before any workspace exists`, async () => {
    const root = copyExampleRoot();
    const run = await runBinary(["run", "--copilot", ancient.path], { env: ancientEnv, cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `the Copilot CLI ${ANCIENT} (${ancient.path}, from --copilot) lacks 6 features this run uses`,
    );
    expect(run.stderr).toMatch(
      /BYOK providers \(COPILOT_PROVIDER_BASE_URL\) — not in 0\.0\.371; first version that has it: 1\.0\.\d+; used by variant scripted-fixer of fix-the-calculator/,
    );
    expect(existsSync(join(root, "results"))).toBe(false);
    const doctor = await runBinary(["doctor", "--copilot", ancient.path], { env: ancientEnv, cwd: root });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain("✗ BYOK providers");
  });
});
