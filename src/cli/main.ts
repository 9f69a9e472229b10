#!/usr/bin/env bun
import { TOOL_VERSION, versionLine } from "../version.ts";
import { splitArgv } from "./argv.ts";
import { CATALOG, commandInfo } from "./commands/catalog.ts";
import { specs } from "./options/index.ts";
import { helpWidth, renderCommandUsage, renderTopUsage } from "./usage.ts";

/**
 * The entry point. `--version`, `--help`, `help` and `CMD --help` answer from the catalog and
 * the command's spec (cli/options/) without loading any command module or the output guard
 * (they print only the program's own text), so they start as fast as Bun does; everything else
 * goes through cli/dispatch.ts (ADR 0016).
 */

/** Write to stdout without creating `process.stdout` (a stream whose set-up costs start-up time). */
async function writeOut(text: string): Promise<void> {
  await Bun.write(Bun.stdout, text);
}

export async function runCli(argv: string[]): Promise<number> {
  const parsed = splitArgv(argv, (name) => commandInfo(name)?.optionalValues ?? []);
  if (parsed.noColor) process.env.NO_COLOR = "1";
  if (parsed.command === undefined) {
    if (parsed.version) {
      await writeOut(`${versionLine()}\n`);
      return 0;
    }
    await writeOut(`${renderTopUsage(CATALOG, TOOL_VERSION, await helpWidth())}\n`);
    // A bare `copilot-experiments` (or `help`) is a request for help; stray flags are not.
    return parsed.help || parsed.rest.length === 0 ? 0 : 2;
  }
  try {
    // Own names only: `constructor` or `toString` is an unknown command, not an object's method.
    if (parsed.help && Object.hasOwn(specs, parsed.command)) {
      const { meta, args } = await specs[parsed.command]!();
      const info = commandInfo(parsed.command);
      await writeOut(
        `${renderCommandUsage(parsed.command, meta.description, args, info, await helpWidth())}\n`,
      );
      return 0;
    }
    const { dispatch } = await import("./dispatch.ts");
    return await dispatch(parsed.command, parsed.rest);
  } catch (err) {
    return await reportError(err, parsed.verbose);
  }
}

/** The one error printer: a UserError as its message and hint (exit 2), anything else as a bug (exit 3). */
async function reportError(err: unknown, verbose: boolean): Promise<number> {
  const { UserError } = await import("../errors.ts");
  const { printUserError } = await import("./dispatch.ts");
  if (err instanceof UserError) {
    printUserError(err);
    return err.exitCode;
  }
  if (err instanceof Error && err.name === "CLIError") {
    printUserError(new UserError(err.message, { hint: "See `copilot-experiments help`." }));
    return 2;
  }
  const { log } = await import("../util/log.ts");
  log.error(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
  const { writeStderr } = await import("../util/stdio.ts");
  if (verbose && err instanceof Error && err.stack) writeStderr(`${err.stack}\n`);
  else writeStderr("  This is a bug. Re-run with --verbose for the stack trace and report it.\n");
  return 3;
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
