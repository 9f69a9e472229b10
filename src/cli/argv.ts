/**
 * The command line before any command is loaded: which command, whether help or the version
 * was asked for, and the global flags, which work before or after the command (README,
 * Commands). Pure: tested without running anything.
 */

export interface SplitArgv {
  /** The command named (`help CMD` names CMD), if any. */
  command?: string;
  /** Everything for the command: its options and positionals, global flags included. */
  rest: string[];
  help: boolean;
  version: boolean;
  verbose: boolean;
  /** `--no-color`: the frame sets NO_COLOR, so every colour decision sees it. */
  noColor: boolean;
}

/** Flags every command understands (and where they take a value). */
export const GLOBAL_FLAGS = {
  root: { value: true },
  verbose: { value: false },
  "no-color": { value: false },
  help: { value: false },
  h: { value: false },
} as const;

const name = (arg: string) => arg.replace(/^--?/, "").split("=")[0]!;

/**
 * Split `argv` (without the executable). `optionalValues(command)` lists the string options of
 * a command whose value may be left out: `--resume` followed by another flag or by nothing
 * becomes `--resume=` (no value), so it never swallows the next flag.
 */
export function splitArgv(
  argv: readonly string[],
  optionalValues: (command: string) => readonly string[] = () => [],
): SplitArgv {
  const end = argv.indexOf("--");
  const head = end === -1 ? [...argv] : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  let commandAt = -1;
  for (let i = 0; i < head.length; i++) {
    const arg = head[i]!;
    if (arg.startsWith("-") && arg !== "-") {
      if (arg === "--root") i += 1; // its value is not the command
      continue;
    }
    commandAt = i;
    break;
  }
  let command = commandAt >= 0 ? head[commandAt] : undefined;
  let rest = head.filter((_, i) => i !== commandAt);
  let help = rest.some((a) => a === "--help" || a === "-h");
  if (command === "help") {
    help = true;
    const target = rest.findIndex((a) => !a.startsWith("-"));
    command = target >= 0 ? rest[target] : undefined;
    rest = rest.filter((_, i) => i !== target);
  }
  const version = command === undefined && rest.some((a) => a === "--version" || a === "-v");
  const noColor = rest.includes("--no-color");
  rest = rest.filter((a) => a !== "--no-color");
  if (command !== undefined) {
    const optional = new Set(optionalValues(command));
    rest = rest.flatMap((arg, i) => {
      if (!arg.startsWith("--") || arg.includes("=") || !optional.has(name(arg))) return [arg];
      const next = rest[i + 1];
      return next === undefined || next.startsWith("-") ? [`${arg}=`] : [arg];
    });
  }
  return {
    command,
    rest: [...rest, ...tail],
    help,
    version,
    verbose: rest.includes("--verbose"),
    noColor,
  };
}
