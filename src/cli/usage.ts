import type { ArgDef, ArgsDef } from "citty";
import { openLibc } from "../util/libc.ts";
import type { CommandInfo } from "./commands/catalog.ts";

/**
 * `--help` text, wrapped to the terminal's width (80 when stdout is not a terminal): the
 * command list from the catalog (no command module loaded), or one command's arguments and
 * options from its definition. Pure but for `helpWidth`.
 */

const TOOL = "copilot-experiments";

/**
 * Whether stdout is a terminal. Asked of libc's `isatty` where it opens (Linux): `process.stdout`,
 * `node:tty` and `node:fs` cost start-up time, and so does Bun's own asynchronous stat, which
 * starts threads (docs/benchmarks.md, "Start-up"). Elsewhere, a character device other than
 * /dev/null.
 */
export async function stdoutIsTerminal(): Promise<boolean> {
  if (process.platform === "win32") return !!process.stdout.isTTY;
  const libc = (await openLibc({ isatty: { args: ["i32"], returns: "i32" } })) as {
    isatty(fd: number): number;
  } | null;
  if (libc) return libc.isatty(1) === 1;
  try {
    const out = await Bun.stdout.stat();
    return out.isCharacterDevice() && out.rdev !== (await Bun.file("/dev/null").stat()).rdev;
  } catch {
    return false;
  }
}

/** COLUMNS, else the terminal's width, else 80 (pipes, files, CI logs). */
export async function helpWidth(env: Record<string, string | undefined> = process.env): Promise<number> {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 40) return fromEnv;
  if (await stdoutIsTerminal()) return Math.max(40, process.stdout.columns || 80);
  return 80;
}

/** Words of `text` in lines of at most `width` characters; words longer than that stay whole. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** Two columns: labels, then descriptions wrapped under their own column. */
function twoColumns(rows: readonly [string, string][], width: number): string {
  const labelWidth = Math.min(Math.max(...rows.map(([l]) => l.length)), Math.floor(width / 3), 28);
  const indent = 2 + labelWidth + 2;
  const textWidth = Math.max(20, width - indent);
  const out: string[] = [];
  for (const [label, text] of rows) {
    const wrapped = wrapWords(text, textWidth);
    if (label.length > labelWidth) {
      out.push(`  ${label}`);
      for (const l of wrapped) out.push(`${" ".repeat(indent)}${l}`);
      continue;
    }
    out.push(`  ${label.padEnd(labelWidth)}  ${wrapped[0]}`.trimEnd());
    for (const l of wrapped.slice(1)) out.push(`${" ".repeat(indent)}${l}`);
  }
  return out.join("\n");
}

const paragraph = (text: string, width: number) => wrapWords(text, width).join("\n");

const GLOBAL_ROWS: [string, string][] = [
  ["--root DIR", "Experiment root: holds experiments/, fixtures/ and results/ (default: the current folder)"],
  ["--verbose", "More output; the stack trace of an unexpected error"],
  ["--no-color", "No colours (also NO_COLOR=1)"],
  ["-h, --help", "Help; `help COMMAND` or `COMMAND --help` for one command"],
];

/** The top-level help: every command in the order of the workflow. */
export function renderTopUsage(catalog: readonly CommandInfo[], version: string, width: number): string {
  return [
    paragraph(
      `${TOOL} ${version}: run reproducible experiments with the GitHub Copilot CLI coding agent and turn every run into data.`,
      width,
    ),
    `Usage: ${TOOL} COMMAND [options]\n       ${TOOL} help COMMAND`,
    `Commands:\n${twoColumns(
      catalog.map((c) => [c.name, c.summary]),
      width,
    )}`,
    `Global options, before or after the command:\n${twoColumns(
      [...GLOBAL_ROWS, ["-v, --version", "The version and the commit it was built from"]],
      width,
    )}`,
    paragraph(
      "Exit codes: 0 done; 1 a check, gate or threshold failed; 2 invalid input; 3 a bug; 4 a run in which no trial ran; 130 interrupted.",
      width,
    ),
  ].join("\n\n");
}

type Arg = ArgDef & { valueHint?: string; negativeDescription?: string; alias?: string | string[] };

function optionRows(args: ArgsDef, info: CommandInfo | undefined): [string, string][] {
  const rows: [string, string][] = [];
  const optional = new Set(info?.optionalValues ?? []);
  for (const [key, raw] of Object.entries(args)) {
    const def = raw as Arg;
    if (def.type === "positional" || key in { root: 1, verbose: 1 }) continue;
    const aliases = [def.alias ?? []].flat().map((a) => (a.length === 1 ? `-${a}, ` : `--${a}, `));
    const description = def.description ?? "";
    if (def.type === "boolean") {
      rows.push([`${aliases.join("")}--${key}`, description]);
      if (def.negativeDescription) rows.push([`--no-${key}`, def.negativeDescription]);
      continue;
    }
    const hint = def.valueHint ?? "VALUE";
    const value = optional.has(key) ? `[${hint}]` : hint;
    const fallback =
      def.default !== undefined && def.default !== "" && !/\(default/i.test(description)
        ? ` (default: ${def.default})`
        : "";
    rows.push([`${aliases.join("")}--${key} ${value}`, `${description}${fallback}`]);
  }
  return rows;
}

/** One command's help: what it does, its usage line, arguments and options, the global options. */
export function renderCommandUsage(
  name: string,
  description: string,
  args: ArgsDef,
  info: CommandInfo | undefined,
  width: number,
): string {
  const positionals = Object.entries(args).filter(([, d]) => d.type === "positional");
  const words = positionals.map(([key, d]) => {
    const label = key.toUpperCase();
    return (d as { required?: boolean }).required ? label : `[${label}]`;
  });
  const lead = `Usage: ${TOOL} `;
  const usage = wrapWords([name, ...words, "[options]"].join(" "), Math.max(20, width - lead.length))
    .map((line, i) => (i === 0 ? lead : " ".repeat(lead.length)) + line)
    .join("\n");
  const sections = [paragraph(`${TOOL} ${name}: ${description}`, width), usage];
  if (positionals.length) {
    sections.push(
      `Arguments:\n${twoColumns(
        positionals.map(([key, d]) => [key.toUpperCase(), d.description ?? ""]),
        width,
      )}`,
    );
  }
  const options = optionRows(args, info);
  if (options.length) sections.push(`Options:\n${twoColumns(options, width)}`);
  const globals = GLOBAL_ROWS.filter(([label]) => label !== "--root DIR" || "root" in args);
  sections.push(`Global options:\n${twoColumns(globals, width)}`);
  return sections.join("\n\n");
}
