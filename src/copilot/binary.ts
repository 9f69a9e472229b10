import { accessSync, constants, existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { defaultCopilot } from "./install/cache.ts";

export interface CopilotBinary {
  path: string;
  /** Where the path came from: `--copilot`, `$COPILOT_BIN`, `install-copilot`, `PATH`, `node_modules`. */
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

const INSTALL_HINT =
  "Run `copilot-experiments install-copilot` (no Node needed), or `npm install -g @github/copilot`, or pass --copilot PATH / set COPILOT_BIN.";

/**
 * Resolve the Copilot CLI (README "run", `--copilot`): `--copilot`, then `$COPILOT_BIN`, then the
 * default `install-copilot` made, then `copilot` on PATH, then `<root>/node_modules/.bin/copilot`.
 * An explicit path (or an installed default) that does not work is an error rather than a silent
 * fall-through to another binary.
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
        hint: INSTALL_HINT,
      });
    }
    return { path: found, source };
  }
  const installed = defaultCopilot(opts.env);
  if (installed) return { path: installed.path, source: "install-copilot" };
  const onPath = Bun.which("copilot", { PATH: opts.env.PATH ?? "" });
  if (onPath) return { path: onPath, source: "PATH" };
  const local = resolve(opts.root, "node_modules", ".bin", "copilot");
  if (existsSync(local) && isExecutable(local)) return { path: local, source: "node_modules" };
  throw new UserError("the Copilot CLI was not found", { hint: INSTALL_HINT });
}
