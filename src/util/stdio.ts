import { fstatSync, statSync, writeSync } from "node:fs";

/**
 * The process's standard output and error, written synchronously to descriptors 1 and 2
 * (docs/adr/0019-stdio-without-streams.md): `process.stdout` and `process.stderr` are streams
 * whose creation costs about 20 ms of every command's start-up, and `node:tty` as much again.
 * Everything the CLI prints goes through here, and through the filter the output guard installs
 * (cli/output-guard.ts), which redacts secrets; a test keeps other modules off the streams. A
 * reader that stops reading a pipe holds the process (as with Node's synchronous pipes).
 */

export type OutputFilter = (text: string) => string;

let filter: OutputFilter = (text) => text;
/** The reader went away (a closed pipe or socket: `… | head`): the rest of the output is dropped. */
const closed = { 1: false, 2: false };

/** Pass everything written from now on through `next`. */
export function filterOutput(next: OutputFilter): void {
  filter = next;
}

export function writeStdout(text: string): void {
  write(1, text);
}

export function writeStderr(text: string): void {
  write(2, text);
}

function write(fd: 1 | 2, text: string): void {
  if (closed[fd] || text.length === 0) return;
  let bytes: Uint8Array = Buffer.from(filter(text));
  while (bytes.byteLength > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A descriptor another process made non-blocking: wait for the reader to catch up.
      if (code === "EAGAIN") Bun.sleepSync(1);
      // EPIPE for a pipe, ECONNRESET for a socket pair (what Bun gives a child as a "pipe").
      else if (code === "EPIPE" || code === "ECONNRESET") {
        closed[fd] = true;
        return;
      } else throw err;
    }
  }
}

const terminals = new Map<number, boolean>();

/**
 * Whether a descriptor is a terminal, from its stat: a character device other than /dev/null
 * (asking `node:tty` would load it). On Windows, where there is no such device, the stream knows.
 * `--version` and `--help` ask the same of Bun's own stat instead (cli/usage.ts): importing
 * `node:fs` here would add ~6 ms to them.
 */
export function isTerminal(fd: 1 | 2): boolean {
  let known = terminals.get(fd);
  if (known === undefined) {
    known = terminalByStat(fd);
    terminals.set(fd, known);
  }
  return known;
}

function terminalByStat(fd: 1 | 2): boolean {
  if (process.platform === "win32") return Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
  try {
    const stat = fstatSync(fd);
    return stat.isCharacterDevice() && stat.rdev !== statSync("/dev/null").rdev;
  } catch {
    return false;
  }
}

/** The terminal's width in columns, when the descriptor is a terminal that reports one. */
export function terminalColumns(fd: 1 | 2): number | undefined {
  if (!isTerminal(fd)) return undefined;
  const columns = (fd === 1 ? process.stdout : process.stderr).columns;
  return columns > 0 ? columns : undefined;
}

/**
 * Colours for what is written to `fd`: never with NO_COLOR set or on a dumb terminal, always with
 * FORCE_COLOR set (other than `0`), else only on a terminal.
 */
export function colorFor(fd: 1 | 2, env: Record<string, string | undefined> = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return env.TERM !== "dumb" && isTerminal(fd);
}
