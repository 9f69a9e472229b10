import { accessSync, constants, existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { spawnChild } from "../process/children.ts";

export interface CopilotBinary {
  path: string;
  /** Where the path came from: `--copilot`, `$COPILOT_BIN`, `PATH`, `node_modules`. */
  source: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolve the Copilot CLI: `--copilot`, then `$COPILOT_BIN`, then `copilot` on PATH, then
 * `<root>/node_modules/.bin/copilot`. An explicit path that does not work is an error rather
 * than a silent fall-through to another binary.
 */
export function resolveCopilotBinary(opts: {
  flag?: string;
  env: Record<string, string | undefined>;
  root: string;
}): CopilotBinary {
  const explicit: [string | undefined, string][] = [
    [opts.flag, "--copilot"],
    [opts.env.COPILOT_BIN, "$COPILOT_BIN"],
  ];
  for (const [value, source] of explicit) {
    if (!value) continue;
    const found =
      value.includes("/") || isAbsolute(value) ? resolve(value) : Bun.which(value, { PATH: opts.env.PATH });
    if (!found || !existsSync(found) || !isExecutable(found)) {
      throw new UserError(`the Copilot CLI given by ${source} (${value}) is not an executable file`, {
        hint: "Install it with `npm install -g @github/copilot`, or point --copilot / COPILOT_BIN at the `copilot` executable.",
      });
    }
    return { path: found, source };
  }
  const onPath = Bun.which("copilot", { PATH: opts.env.PATH ?? "" });
  if (onPath) return { path: onPath, source: "PATH" };
  const local = resolve(opts.root, "node_modules", ".bin", "copilot");
  if (existsSync(local) && isExecutable(local)) return { path: local, source: "node_modules" };
  throw new UserError("the Copilot CLI was not found", {
    hint: "Install it with `npm install -g @github/copilot` (or add it to the experiment root's devDependencies), or pass --copilot PATH / set COPILOT_BIN.",
  });
}

/** Run `copilot --version` and return the version number (`1.0.102`). */
export async function readCopilotVersion(binary: string, env: Record<string, string>): Promise<string> {
  let proc: ReturnType<typeof spawnChild>;
  try {
    proc = spawnChild([binary, "--version"], { env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  } catch (err) {
    throw new UserError(`could not start the Copilot CLI at ${binary}: ${(err as Error).message}`, {
      hint: "Check the file is the `copilot` executable and runs on this machine.",
    });
  }
  const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout as ReadableStream).text(),
    new Response(proc.stderr as ReadableStream).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  const match = /(\d+\.\d+\.\d+(?:[-.][\w.]+)?)/.exec(out);
  if (code !== 0 || !match) {
    throw new UserError(
      `\`${binary} --version\` failed (exit ${code}): ${(err || out).trim().split("\n")[0] ?? ""}`,
      {
        hint: "Reinstall the Copilot CLI (`npm install -g @github/copilot`) or pass a working one with --copilot.",
      },
    );
  }
  return match[1]!;
}
