import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const PROJECT_ROOT = resolve(import.meta.dir, "../..");
export const BINARY = join(PROJECT_ROOT, "dist/copilot-experiments");
export const SHARED_SESSIONS = resolve(PROJECT_ROOT, "../shared/sessions");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI as a real process: the compiled binary, rebuilt first when a source file is newer
 * (`ensureBinary`), so it is the current sources that run. The binary starts in a fifth of the
 * CPU time `bun src/cli/main.ts` takes (no transpiling; bytecode), and the suite runs it a few
 * hundred times.
 */
export async function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<CliResult> {
  return run([await ensureBinary(), ...args], opts);
}

/** Run the compiled binary (built on demand if missing). */
export async function runBinary(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; binary?: string } = {},
): Promise<CliResult> {
  const binary = opts.binary ?? (await ensureBinary());
  return run([binary, ...args], opts);
}

/** Run any command as a real process (NO_COLOR and CI set, like the CLI helpers). */
export async function runCommand(
  cmd: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  return run(cmd, opts);
}

async function run(
  cmd: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> },
): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", CI: "true", ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const proc = Bun.spawn(cmd, {
    cwd: opts.cwd ?? PROJECT_ROOT,
    env: env as Record<string, string>,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

let building: Promise<string> | undefined;

/**
 * The compiled binary; rebuilt when any source file is newer than it. `bun run test` builds it
 * before the parallel workers start, so that they do not each build it at once (ADR 0020).
 * CX_TEST_BINARY runs the binary tests against another build as it is (an older release, to
 * see a test fail there).
 */
export function ensureBinary(): Promise<string> {
  const other = process.env.CX_TEST_BINARY;
  if (other) return Promise.resolve(other);
  building ??= (async () => {
    const newest = newestSourceMtime();
    if (!existsSync(BINARY) || statSync(BINARY).mtimeMs < newest) {
      const proc = Bun.spawn([process.execPath, "run", "build"], {
        cwd: PROJECT_ROOT,
        stdout: "ignore",
        stderr: "pipe",
      });
      const code = await proc.exited;
      if (code !== 0) throw new Error(`bun run build failed: ${await new Response(proc.stderr).text()}`);
    }
    return BINARY;
  })();
  return building;
}

function newestSourceMtime(): number {
  let newest = 0;
  const glob = new Bun.Glob("src/**/*");
  for (const file of glob.scanSync({ cwd: PROJECT_ROOT })) {
    newest = Math.max(newest, statSync(join(PROJECT_ROOT, file)).mtimeMs);
  }
  return newest;
}
