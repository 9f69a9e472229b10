import { type ArgsDef, type CommandDef, runCommand } from "citty";
import { UserError } from "../errors.ts";
import { terminalSafe } from "../render/terminal-safe.ts";
import { environmentSecrets } from "../secrets/redact.ts";
import { closestMatch } from "../util/closest.ts";
import { colorFor, writeStderr } from "../util/stdio.ts";
import { TOOL_NAME } from "../version.ts";
import { GLOBAL_FLAGS } from "./argv.ts";
import { commands } from "./commands/index.ts";
import { specs } from "./options/index.ts";
import { guardOutput } from "./output-guard.ts";

/**
 * Running one command, loaded only now (cli/main.ts answers `--version` and every `--help`
 * without it): its flags checked against its spec (cli/options/), then the command itself; the
 * one error printer and the exit code (README, exit codes).
 */

type AnyCommand = CommandDef<ArgsDef>;

/** Reject flags a command does not declare, with a suggestion, instead of ignoring them. */
function checkFlags(defs: ArgsDef, argv: readonly string[], name: string): void {
  const known = new Set<string>(Object.keys(GLOBAL_FLAGS).filter((k) => k !== "root"));
  const booleans = new Set<string>();
  for (const [key, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    known.add(key);
    if (def.type === "boolean") booleans.add(key);
    for (const alias of [(def as { alias?: string | string[] }).alias ?? []].flat()) known.add(alias);
  }
  for (const arg of argv) {
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) continue;
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

export function printUserError(err: UserError): void {
  const red = colorFor(2) ? (t: string) => `\x1b[31m${t}\x1b[39m` : (t: string) => t;
  writeStderr(`${red("error:")} ${terminalSafe(err.message)}\n`);
  for (const line of err.details) writeStderr(`  ${terminalSafe(line)}\n`);
  if (err.hint) writeStderr(`  hint: ${terminalSafe(err.hint)}\n`);
}

/** Run a command; returns the exit code. */
export async function dispatch(name: string, rest: string[]): Promise<number> {
  guardOutput(environmentSecrets(process.env));
  const loadSpec = Object.hasOwn(specs, name) ? specs[name] : undefined;
  const loadCommand = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!loadSpec || !loadCommand) {
    const suggestion = closestMatch(name, Object.keys(commands));
    throw new UserError(`unknown command \`${name}\``, {
      hint: suggestion
        ? `Did you mean \`${suggestion}\`? Run \`${TOOL_NAME} help\` for all commands.`
        : `Run \`${TOOL_NAME} help\` for all commands.`,
    });
  }
  const spec = await loadSpec();
  checkFlags(spec.args, rest, name);
  const cmd = (await loadCommand()) as AnyCommand;
  const { result } = await runCommand(cmd, { rawArgs: rest });
  return typeof result === "number" ? result : 0;
}
