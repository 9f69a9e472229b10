import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { colorFor } from "../../../src/util/stdio.ts";
import { PROJECT_ROOT } from "../../helpers/cli.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

describe("stdio", () => {
  test("colours: NO_COLOR wins, FORCE_COLOR (not 0) forces them, a dumb terminal and a pipe get none", () => {
    // The test runner's stdout and stderr are pipes, not terminals.
    expect(colorFor(2, {})).toBe(false);
    expect(colorFor(2, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorFor(2, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorFor(2, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(false);
    expect(colorFor(1, { TERM: "dumb" })).toBe(false);
  });

  test("a reader that closes the pipe early ends the output quietly, not the process with an error", async () => {
    const dir = writeTree(tempDir(), {
      "write.ts": `
import { writeStdout, writeStderr } from ${JSON.stringify(join(PROJECT_ROOT, "src/util/stdio.ts"))};
const line = "x".repeat(1023) + "\\n";
for (let i = 0; i < 4096; i++) writeStdout(line);
writeStderr("done\\n");
`,
    });
    const proc = Bun.spawn([process.execPath, join(dir, "write.ts")], { stdout: "pipe", stderr: "pipe" });
    const reader = proc.stdout.getReader();
    const first = await reader.read();
    await reader.cancel();
    const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect(first.value?.byteLength).toBeGreaterThan(0);
    expect({ code, err }).toEqual({ code: 0, err: "done\n" });
  });
});
