#!/usr/bin/env bun
import { stripVTControlCharacters } from "node:util";
import { type ArgsDef, type CommandDef, defineCommand, renderUsage, runCommand } from "citty";
import { UserError } from "../errors.ts";
import { terminalSafe } from "../render/terminal-safe.ts";
import { environmentSecrets } from "../secrets/redact.ts";
import { closestMatch } from "../util/closest.ts";
import { log } from "../util/log.ts";
import { TOOL_NAME, TOOL_VERSION, versionLine } from "../version.ts";
import { commands } from "./commands/index.ts";
import { guardOutput } from "./output-guard.ts";

const main = defineCommand({
  meta: {
    name: TOOL_NAME,
    version: TOOL_VERSION,
    description: "Run reproducible experiments with the GitHub Copilot CLI and turn every run into data.",
  },
  subCommands: commands,
});

type AnyCommand = CommandDef<ArgsDef>;

/** Usage text, without colours unless stdout is a terminal (and NO_COLOR is not set). */
function printUsage(text: string): void {
  const plain = !process.stdout.isTTY || !!process.env.NO_COLOR;
  process.stdout.write(`${plain ? stripVTControlCharacters(text) : text}\n`);
}

async function resolve<T>(value: T | (() => T | Promise<T>) | Promise<T>): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

/** Reject flags a command does not declare, with a suggestion, instead of ignoring them. */
async function checkFlags(cmd: AnyCommand, argv: string[], name: string): Promise<void> {
  const defs = (await resolve(cmd.args ?? {})) as ArgsDef;
  const known = new Set<string>(["help", "h"]);
  const booleans = new Set<string>();
  for (const [key, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    known.add(key);
    if (def.type === "boolean") booleans.add(key);
    for (const alias of [(def as { alias?: string | string[] }).alias ?? []].flat()) known.add(alias);
  }
  for (const arg of argv) {
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-") continue;
    const flag = arg.replace(/^--?/, "").split("=")[0]!;
    if (known.has(flag)) continue;
    if (flag.startsWith("no-") && booleans.has(flag.slice(3))) continue;
    const suggestion = closestMatch(
      flag,
      [...known].filter((k) => k.length > 1),
    );
    throw new UserError(`unknown option ${arg.split("=")[0]} for \`${name}\``, {
      hint: suggestion
        ? `Did you mean --${suggestion}? See \`${TOOL_NAME} ${name} --help\`.`
        : `See \`${TOOL_NAME} ${name} --help\`.`,
    });
  }
}

function printUserError(err: UserError): void {
  const red =
    process.stderr.isTTY && !process.env.NO_COLOR ? (t: string) => `\x1b[31m${t}\x1b[39m` : (t: string) => t;
  process.stderr.write(`${red("error:")} ${terminalSafe(err.message)}\n`);
  for (const line of err.details) process.stderr.write(`  ${terminalSafe(line)}\n`);
  if (err.hint) process.stderr.write(`  hint: ${terminalSafe(err.hint)}\n`);
}

export async function runCli(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
      process.stdout.write(`${versionLine()}\n`);
      return 0;
    }
    const first = argv.findIndex((a) => !a.startsWith("-"));
    const name = first >= 0 ? argv[first]! : undefined;
    const wantsHelp = argv.includes("--help") || argv.includes("-h");
    if (name === undefined) {
      printUsage(await renderUsage(main));
      return wantsHelp || argv.length === 0 ? 0 : 2;
    }
    const loader = commands[name as keyof typeof commands];
    if (!loader) {
      const suggestion = closestMatch(name, Object.keys(commands));
      throw new UserError(`unknown command \`${name}\``, {
        hint: suggestion
          ? `Did you mean \`${suggestion}\`? Run \`${TOOL_NAME} --help\` for all commands.`
          : `Run \`${TOOL_NAME} --help\` for all commands.`,
      });
    }
    const cmd = (await loader()) as AnyCommand;
    const rest = argv.filter((_, i) => i !== first);
    if (wantsHelp) {
      printUsage(await renderUsage(cmd, main as AnyCommand));
      return 0;
    }
    await checkFlags(cmd, rest, name);
    const { result } = await runCommand(cmd, { rawArgs: rest });
    return typeof result === "number" ? result : 0;
  } catch (err) {
    if (err instanceof UserError) {
      printUserError(err);
      return err.exitCode;
    }
    if (err instanceof Error && err.name === "CLIError") {
      printUserError(new UserError(err.message, { hint: `See \`${TOOL_NAME} --help\`.` }));
      return 2;
    }
    log.error(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write("  This is a bug. Re-run with --verbose for the stack trace and report it.\n");
    return 3;
  }
}

if (import.meta.main) {
  guardOutput(environmentSecrets(process.env));
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
