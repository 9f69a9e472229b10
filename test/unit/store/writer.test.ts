import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Redactor } from "../../../src/secrets/redact.ts";
import { isTempArtifact, tempSibling, writeJsonAtomic } from "../../../src/store/atomic.ts";
import { copyRedacted } from "../../../src/store/copy-redacted.ts";
import { RunWriter } from "../../../src/store/writer.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

describe("temp files of a killed writer", () => {
  test("every writer's temp sibling is recognised, and removed on resume; the workspace is left alone", async () => {
    const run = tempDir();
    const meta = join(run, "variants/v/tasks/t/trials/001/meta.json");
    writeJsonAtomic(meta, { ok: true });
    // What a writer killed between write and rename leaves behind:
    const leftovers = [
      tempSibling(join(run, "run.json")),
      tempSibling(meta),
      tempSibling(join(run, "variants/v/tasks/t/trials/001/events.jsonl")),
    ];
    writeTree(run, Object.fromEntries(leftovers.map((p) => [p.slice(run.length + 1), "{ torn"])));
    writeTree(run, { "variants/v/tasks/t/trials/001/workspace/.keep.1.2.tmp": "the agent's own file" });
    for (const p of leftovers) expect(isTempArtifact(p.split("/").at(-1)!)).toBe(true);
    expect(isTempArtifact("meta.json")).toBe(false);

    new RunWriter(run, Redactor.none).removeTempFiles();
    for (const p of leftovers) expect(existsSync(p)).toBe(false);
    expect(existsSync(meta)).toBe(true);
    expect(existsSync(join(run, "variants/v/tasks/t/trials/001/workspace/.keep.1.2.tmp"))).toBe(true);
  });

  test("copyRedacted streams through the redactor and leaves no temp file", async () => {
    const dir = writeTree(tempDir(), {
      "in.jsonl": `${'{"a":"token-abcdef-123"}\n'.repeat(3)}tail without newline token-abcdef-123`,
    });
    const ok = await copyRedacted(
      join(dir, "in.jsonl"),
      join(dir, "out/out.jsonl"),
      new Redactor(["token-abcdef-123"]),
    );
    expect(ok).toBe(true);
    const out = await Bun.file(join(dir, "out/out.jsonl")).text();
    expect(out).not.toContain("token-abcdef-123");
    expect(out.split("***redacted***")).toHaveLength(5);
    expect(readdirSync(join(dir, "out"))).toEqual(["out.jsonl"]);
    expect(await copyRedacted(join(dir, "missing"), join(dir, "out/x"), new Redactor([]))).toBe(false);
  });
});
