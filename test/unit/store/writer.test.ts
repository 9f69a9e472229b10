import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redactor } from "../../../src/secrets/redact.ts";
import { isTempArtifact, tempSibling, writeFileAtomic, writeJsonAtomic } from "../../../src/store/atomic.ts";
import { copyRedacted } from "../../../src/store/copy-redacted.ts";
import { loadRun } from "../../../src/store/reader.ts";
import { RunWriter } from "../../../src/store/writer.ts";
import { summarizeRun } from "../../../src/summary/run-summary.ts";
import { fakeMetrics, writeAllStatusesRun } from "../../helpers/hand-made-run.ts";
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

  test("copyRedacted gives the same file whether it reads the source whole or streams it", async () => {
    const secret = "token-abcdef-123";
    // Multi-byte text and a secret on each side of the size where copying switches to streaming.
    const line = `{"é🙂":"${secret}","pad":"${"x".repeat(90)}"}\n`;
    const dir = tempDir();
    for (const lines of [3, 60_000]) {
      const content = `${line.repeat(lines)}last ${secret}`;
      writeFileSync(join(dir, "in.txt"), content);
      for (const redactor of [new Redactor([secret]), Redactor.none]) {
        expect(await copyRedacted(join(dir, "in.txt"), join(dir, "out.txt"), redactor)).toBe(true);
        const expected = redactor.size ? content.replaceAll(secret, "***redacted***") : content;
        expect({
          lines,
          redacting: redactor.size > 0,
          same: readFileSync(join(dir, "out.txt"), "utf8") === expected,
        }).toEqual({
          lines,
          redacting: redactor.size > 0,
          same: true,
        });
      }
    }
    expect(readdirSync(dir).sort()).toEqual(["in.txt", "out.txt"]);
  });
});

describe("atomic writes", () => {
  test("parts are written one after the other, multi-byte text and bytes alike, with no temp file left", () => {
    const dir = tempDir();
    const path = join(dir, "sub", "file.txt");
    const big = "é🙂x".repeat(300_000);
    writeFileAtomic(path, big, new Uint8Array([0x0a]), "end\n");
    expect(readFileSync(path, "utf8")).toBe(`${big}\nend\n`);
    writeFileAtomic(path, "");
    expect(readFileSync(path, "utf8")).toBe("");
    expect(readdirSync(join(dir, "sub"))).toEqual(["file.txt"]);
  });
});

describe("the writer is the one redaction point", () => {
  const SECRET = 'sk-live-"quoted"\\value-1234';
  const OTHER = "trial-only-secret-5678";

  test("every artifact, JSON or text, written or copied in, is redacted; JSON stays valid", async () => {
    const dir = writeAllStatusesRun(tempDir());
    const run = loadRun(dir);
    const writer = new RunWriter(dir, new Redactor([SECRET]));
    const trial = writer.trial("base", "alpha", 1, [OTHER]);
    const meta = { ...run.trials[0]!.meta, error: `failed with ${SECRET} and ${OTHER}` };
    const staged = join(tempDir(), "stdout.txt");
    writeFileSync(staged, `${SECRET}\n${OTHER}\n`);
    writer.writeRecord({ ...run.record, experiment: { ...run.record.experiment, description: SECRET } });
    writer.writeVariant({
      format_version: 1,
      slug: "base",
      name: SECRET,
      definition: { [SECRET]: OTHER },
      context: {},
    });
    writer.writeTask("base", {
      format_version: 1,
      slug: "alpha",
      name: "alpha",
      definition: { prompt: SECRET },
    });
    trial.writePrompt(`use ${SECRET}`);
    trial.writeSetupLog(`$ echo ${OTHER}`);
    trial.writeDiff(`+${SECRET}`);
    trial.writeMeta(meta);
    trial.writeMetrics({ ...fakeMetrics(), models: [SECRET] });
    trial.writeStaged("events", `{"a":"${OTHER}"}\n`);
    await trial.copyIn(staged, "stdout");
    trial.writeVerify({
      format_version: 1,
      command: `echo ${SECRET}`,
      exit_code: 1,
      success: false,
      output: `${SECRET} ${OTHER}`,
      duration_s: 1,
      timed_out: false,
      runs: [],
      flaky: false,
    });
    const summary = summarizeRun(run);
    writer.writeSummary({ ...summary, experiment_name: SECRET }, `# ${SECRET}`);
    writer.writeReport(`<p>${SECRET}</p>`);

    const files = readdirRecursive(dir);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect({
        file,
        leaks: text.includes(SECRET) || text.includes(JSON.stringify(SECRET).slice(1, -1)),
      }).toEqual({
        file,
        leaks: false,
      });
      // The trial's own secret is known to its writer only.
      if (file.startsWith(trial.dir))
        expect({ file, leaks: text.includes(OTHER) }).toEqual({ file, leaks: false });
      // JSON artifacts are the pretty form of their value, ending in exactly one newline.
      if (file.endsWith(".json")) expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
    expect(readFileSync(join(trial.dir, "meta.json"), "utf8")).toContain(
      "failed with ***redacted*** and ***redacted***",
    );
    // The run's writer does not know the trial's secret: variant.json keeps it (the lead decides who knows what).
    expect(readFileSync(join(dir, "variants", "base", "variant.json"), "utf8")).toContain(OTHER);
  });

  test("an invalid artifact is refused (a bug), and nothing is written", () => {
    const dir = tempDir();
    const writer = new RunWriter(dir, Redactor.none);
    expect(() =>
      writer
        .trial("v", "t", 1)
        .create()
        .writeMeta({} as never),
    ).toThrow(/invalid meta/);
    expect(readdirRecursive(dir)).toEqual([]);
    // A name that is not a folder name never becomes a path.
    expect(() => writer.trial("../escape", "t", 1)).toThrow(/not a valid folder name/);
  });
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? readdirRecursive(join(dir, e.name)) : [join(dir, e.name)],
  );
}
