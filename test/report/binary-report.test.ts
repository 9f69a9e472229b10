import { describe, expect, test } from "bun:test";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeReport } from "../../src/report/write.ts";
import { ensureBinary, runBinary } from "../helpers/cli.ts";
import { writeSyntheticRun } from "../helpers/synthetic-run.ts";
import { tempDir } from "../helpers/tmp.ts";

/** The compiled binary carries the report's assets: the same page from a folder with no node_modules. */

const stable = (html: string) =>
  html.replace(/"generated_at":"[^"]+"/, "").replace(/ at [^<]+<\/footer>/, "</footer>");

describe("report from the single binary", () => {
  test("writes the same report.html as the source, diff2html and client included", async () => {
    const root = tempDir("cx-report-bin-root-");
    const runDir = writeSyntheticRun({ root, variants: 2, tasks: 2, trialsPerCell: 2, seed: 5 });
    const dir = tempDir("cx-report-bin-");
    const binary = join(dir, "copilot-experiments");
    copyFileSync(await ensureBinary(), binary);
    expect(readdirSync(dir)).toEqual(["copilot-experiments"]);

    const out = join(dir, "report.html");
    const r = await runBinary(["report", "--last", "--root", root, "--out", out], { cwd: dir, binary });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    const fromBinary = readFileSync(out, "utf8");
    expect(fromBinary.includes("Diff2HtmlUI")).toBe(true);
    expect(fromBinary.includes(".d2h-file-wrapper")).toBe(true);
    // The bundled client (its string literals survive minification).
    expect(fromBinary.includes("report:summary") && fromBinary.includes("Clear filters")).toBe(true);
    const fromSource = readFileSync(writeReport(runDir, { out: join(tempDir(), "report.html") }), "utf8");
    expect(stable(fromBinary) === stable(fromSource)).toBe(true);
  });
});
