import { UserError } from "../errors.ts";
import { spawnChild } from "../process/children.ts";
import { inheritedEnv } from "./invocation.ts";
import { isolatedStateEnv, withIsolatedState } from "./state-env.ts";

/**
 * Asking a Copilot CLI what it is, the way trials run it: `--no-auto-update` (else the loader
 * runs the newest runtime in its cache, whatever the binary is) and the trial environment (the
 * inherited one without GitHub tokens, a fresh COPILOT_HOME and cache).
 */

type Env = Record<string, string | undefined>;

export interface CopilotProbe {
  /** The version trials run (`--no-auto-update`). */
  version: string;
  /** `--help`, when it looks like the CLI's help (else the version table decides). */
  help?: string;
  /** `help environment`: the variables the CLI documents (BYOK provider, OTel file exporter). */
  environmentHelp?: string;
}

interface Output {
  code: number;
  out: string;
  err: string;
}

async function runCopilot(binary: string, args: string[], env: Env): Promise<Output> {
  let proc: ReturnType<typeof spawnChild>;
  try {
    proc = spawnChild([binary, ...args], {
      env: env as Record<string, string>,
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
  } catch (err) {
    throw new UserError(`could not start the Copilot CLI at ${binary}: ${(err as Error).message}`, {
      hint: "Check the file is the `copilot` executable and runs on this machine (`copilot-experiments install-copilot` fetches one that does).",
    });
  }
  // A first run may extract the CLI's runtime (seconds); a minute is plenty.
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout as ReadableStream).text(),
    new Response(proc.stderr as ReadableStream).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, out, err };
}

function parseVersion(binary: string, args: string[], result: Output): string {
  // `GitHub Copilot CLI 1.0.102.`: the sentence's full stop is not part of a prerelease tag.
  const match = /(\d+\.\d+\.\d+(?:-[\w.]*\w)?)/.exec(result.out);
  if (result.code !== 0 || !match) {
    const first = (result.err || result.out).trim().split("\n")[0] ?? "";
    throw new UserError(`\`${binary} ${args.join(" ")}\` failed (exit ${result.code}): ${first}`, {
      hint: "Reinstall the Copilot CLI (`copilot-experiments install-copilot`) or pass a working one with --copilot.",
    });
  }
  return match[1]!;
}

/** Version and help texts, with the trial's flags and environment. */
export async function probeCopilot(
  binary: string,
  base: Env,
  opts: { isolate: boolean },
): Promise<CopilotProbe> {
  const probe = async (env: Env) => {
    const versionArgs = ["--version", "--no-auto-update"];
    // The version first: a first run extracts the runtime, which the other two then share.
    const version = await runCopilot(binary, versionArgs, env);
    const [help, environment] = await Promise.all([
      runCopilot(binary, ["--help", "--no-auto-update"], env),
      runCopilot(binary, ["help", "environment", "--no-auto-update"], env),
    ]);
    return {
      version: parseVersion(binary, versionArgs, version),
      help: help.code === 0 && /--help\b/.test(help.out) ? help.out : undefined,
      environmentHelp:
        environment.code === 0 && /COPILOT_/.test(environment.out) ? environment.out : undefined,
    };
  };
  if (!opts.isolate) return probe(inheritedEnv(base));
  return withIsolatedState(base, (dirs) => probe({ ...inheritedEnv(base), ...isolatedStateEnv(base, dirs) }));
}

/**
 * The version a plain `copilot` would run here — without `--no-auto-update`, in the user's own
 * environment — or undefined when it does not answer. Differs from the probe's when the CLI's
 * cache holds a newer runtime.
 */
export async function unpinnedVersion(binary: string, env: Env): Promise<string | undefined> {
  try {
    const result = await runCopilot(binary, ["--version"], env);
    return parseVersion(binary, ["--version"], result);
  } catch {
    return undefined;
  }
}
