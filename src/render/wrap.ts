import { terminalWidth } from "./table.ts";

/**
 * Word-wrap one line of prose to the terminal width, keeping its leading spaces; continuation
 * lines are indented by `indent` spaces. Words longer than the width (paths, ids) stay whole.
 */
export function wrapLine(text: string, opts: { width?: number; indent?: number } = {}): string {
  const width = opts.width ?? terminalWidth();
  const pad = " ".repeat(opts.indent ?? 0);
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  for (const word of text.slice(lead.length).split(" ")) {
    const candidate = empty ? `${line}${word}` : `${line} ${word}`;
    if (empty || [...candidate].length <= width) {
      line = candidate;
      empty = false;
    } else {
      lines.push(line);
      line = `${pad}${word}`;
    }
  }
  lines.push(line);
  return lines.join("\n");
}
