/**
 * Text that comes from experiments, agents or verify output is shown without the control and
 * escape sequences it may carry: a hostile string must not move the cursor, rewrite earlier
 * lines, set the window title or write the clipboard (OSC 52). Tabs are kept; newlines are kept
 * only in multi-line text (table cells are one line).
 */

// ESC-introduced sequences: CSI (… final byte), OSC/DCS/SOS/PM/APC (… BEL or ST), two-byte ESC x.
const ESCAPE_SEQUENCE =
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|[@-Z\\-_]|[ -/]*[0-~]?)/g;
// C1 introducers of the same sequences (CSI 0x9b, OSC 0x9d, DCS 0x90 …) with their payload.
const C1_SEQUENCE = /\u009b[0-?]*[ -/]*[@-~]|[\u0090\u009d\u0098\u009e\u009f][\s\S]*?(?:\u0007|\u009c|$)/g;
// Every control character but tab and newline; ESC is handled by the sequences above and below.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001a\u001c-\u001f\u007f-\u009f]/g;

const SGR = /^\u001b\[[0-9;]*m$/;

/**
 * `keepColors` keeps SGR colour sequences (`ESC [ … m`): for tables whose cells the harness
 * colours itself; they can change how text looks, never where it goes.
 */
export function terminalSafe(text: string, opts: { multiline?: boolean; keepColors?: boolean } = {}): string {
  let out = text
    .replace(ESCAPE_SEQUENCE, (seq) => (opts.keepColors && SGR.test(seq) ? seq : ""))
    .replace(C1_SEQUENCE, "");
  out = out
    .replace(/\r\n/g, "\n")
    .replace(CONTROL, "")
    .replace(opts.keepColors ? /\u001b(?!\[[0-9;]*m)/g : /\u001b/g, "");
  return opts.multiline ? out : out.replace(/\n/g, " ");
}
