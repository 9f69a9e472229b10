import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { forEachLine, readJsonl } from "../../../src/session/reader.ts";
import { tempDir } from "../../helpers/tmp.ts";

async function linesOf(content: string | Uint8Array): Promise<string[]> {
  const path = join(tempDir(), "file.jsonl");
  writeFileSync(path, content);
  const out: string[] = [];
  await forEachLine(path, (line) => out.push(line));
  return out;
}

describe("streaming line reader", () => {
  test("lines longer than a read chunk come out whole, next to short ones", async () => {
    const long = "x".repeat(3 * 1024 * 1024 + 17);
    const content = ["a", long, "b", "", long.slice(5), "c"].join("\n");
    expect(await linesOf(content)).toEqual(content.split("\n"));
  });

  test("multi-byte characters split across chunk boundaries decode correctly", async () => {
    const line = "é🙂ß中".repeat(200_000);
    const content = `${line}\n${line.slice(3)}\n`;
    const got = await linesOf(content);
    expect(got).toEqual([line, line.slice(3)]);
  });

  test("a last line without a newline is still delivered; a trailing newline adds no line", async () => {
    expect(await linesOf("one\ntwo")).toEqual(["one", "two"]);
    expect(await linesOf("one\ntwo\n")).toEqual(["one", "two"]);
    expect(await linesOf("")).toEqual([]);
  });

  test("a UTF-8 byte order mark is dropped", async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"type":"a"}\n')]);
    expect(await linesOf(bom)).toEqual(['{"type":"a"}']);
  });

  test("a missing file rejects with an Error", async () => {
    await expect(forEachLine(join(tempDir(), "missing.jsonl"), () => {})).rejects.toThrow("no such file");
  });
});

describe("readJsonl", () => {
  test("counts non-blank lines and malformed ones; CRLF endings parse", async () => {
    const path = join(tempDir(), "e.jsonl");
    writeFileSync(path, '{"type":"a"}\r\n\r\n   \n{"type":"b","x":1}\n{"type":2}\n[]\n{"type":"c"\n');
    const types: unknown[] = [];
    const stats = await readJsonl(path, (r) => types.push(r.type));
    expect(types).toEqual(["a", "b"]);
    expect(stats).toEqual({ lines: 5, malformed: 3 });
  });

  test("a record whose handler throws is counted as malformed and reading goes on", async () => {
    const path = join(tempDir(), "e.jsonl");
    writeFileSync(path, '{"type":"boom"}\n{"type":"ok"}\n');
    const seen: unknown[] = [];
    const stats = await readJsonl(path, (r) => {
      if (r.type === "boom") throw new Error("handler bug");
      seen.push(r.type);
    });
    expect(seen).toEqual(["ok"]);
    expect(stats.malformed).toBe(1);
  });
});
