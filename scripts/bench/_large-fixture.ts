import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A generated source tree the size of a real repository: `files` files (default 5,000) of about
 * `mb` MB in all (default 80), in nested folders, with source-like text (random identifiers
 * and numbers, so it compresses like code, about 3–4×). Seeded: the same arguments give the
 * same bytes.
 */

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "value",
  "count",
  "index",
  "result",
  "buffer",
  "config",
  "handler",
  "request",
  "response",
  "total",
  "offset",
  "items",
  "cache",
  "parse",
  "render",
  "state",
  "token",
  "node",
];

export function writeLargeFixture(dir: string, opts: { files?: number; mb?: number; seed?: number } = {}) {
  const files = opts.files ?? 5000;
  const bytes = (opts.mb ?? 80) * 1024 * 1024;
  const random = rng(opts.seed ?? 20);
  const word = () => `${WORDS[Math.floor(random() * WORDS.length)]}${Math.floor(random() * 1000)}`;
  let written = 0;
  for (let i = 0; i < files; i++) {
    const folder = join(dir, `pkg${i % 25}`, `mod${Math.floor(i / 25) % 10}`);
    mkdirSync(folder, { recursive: true });
    // Sizes spread around the mean so the total lands near `bytes`.
    const target = Math.round(((bytes - written) / (files - i)) * (0.5 + random()));
    const lines: string[] = [`# file ${i}`];
    let size = lines[0]!.length + 1;
    while (size < target) {
      const line = `    ${word()} = ${word()}(${word()}, ${Math.floor(random() * 1e6)}) + ${word()}.${word()}`;
      lines.push(line);
      size += line.length + 1;
    }
    const text = `${lines.join("\n")}\n`;
    writeFileSync(join(folder, `file${i}.py`), text);
    written += text.length;
  }
  return { files, bytes: written };
}
