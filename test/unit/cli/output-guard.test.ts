import { expect, test } from "bun:test";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../helpers/cli.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

test("everything the CLI process prints, on stdout and stderr, passes through the redactor", async () => {
  const dir = writeTree(tempDir(), {
    "print.ts": `
import { addOutputSecrets, guardOutput } from ${JSON.stringify(join(PROJECT_ROOT, "src/cli/output-guard.ts"))};
import { log } from ${JSON.stringify(join(PROJECT_ROOT, "src/util/log.ts"))};
guardOutput([process.env.MY_API_KEY]);
addOutputSecrets(["learned-later-secret-77"]);
process.stdout.write("stdout " + process.env.MY_API_KEY + "\\n");
process.stdout.write(new TextEncoder().encode("bytes " + process.env.MY_API_KEY + "\\n"));
log.warn("consola learned-later-secret-77");
process.stderr.write("stderr " + process.env.MY_API_KEY + "\\n");
`,
  });
  const proc = Bun.spawn([process.execPath, join(dir, "print.ts")], {
    env: { ...process.env, MY_API_KEY: "sk-live-guard-value-3141" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  expect(await proc.exited).toBe(0);
  const all = out + err;
  expect(all).not.toContain("sk-live-guard-value-3141");
  expect(all).not.toContain("learned-later-secret-77");
  expect(out.match(/\*\*\*redacted\*\*\*/g)).toHaveLength(2);
  expect(err.match(/\*\*\*redacted\*\*\*/g)).toHaveLength(2);
});
