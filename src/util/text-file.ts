import { readFileSync } from "node:fs";

/** A file that is not UTF-8 text: where the first bad byte is, for a message with line and column. */
export class NotUtf8Error extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly col: number,
    readonly byte: number,
  ) {
    super(
      `${path}:${line}:${col}: not UTF-8 text (byte 0x${byte.toString(16).padStart(2, "0")}); save the file as UTF-8`,
    );
    this.name = "NotUtf8Error";
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Read a text file that must be UTF-8 (experiment files, scripts): never a silent U+FFFD. */
export function readUtf8File(path: string, shownAs = path): string {
  const bytes = readFileSync(path);
  try {
    return decoder.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw firstBadByte(bytes, shownAs);
  }
}

function firstBadByte(bytes: Uint8Array, path: string): NotUtf8Error {
  let line = 1;
  let col = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok && length > 1) {
      try {
        decoder.decode(bytes.subarray(i, i + length));
      } catch {
        ok = false; // overlong or surrogate encodings
      }
    }
    if (!ok) return new NotUtf8Error(path, line, col, b);
    if (b === 0x0a) {
      line += 1;
      col = 1;
    } else {
      col += 1;
    }
    i += length;
  }
  return new NotUtf8Error(path, line, col, 0);
}
