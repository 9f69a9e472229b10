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

test("printed JSON is redacted even where JSON escapes the secret, and is unchanged without one", async () => {
  const secret = 'sk-"quoted\\secret-2718';
  const value = { note: `the key is ${secret}`, nested: [{ [secret]: 1 }], plain: "nothing here" };
  const dir = writeTree(tempDir(), {
    "print.ts": `
import { guardOutput } from ${JSON.stringify(join(PROJECT_ROOT, "src/cli/output-guard.ts"))};
import { printRedactedJson } from ${JSON.stringify(join(PROJECT_ROOT, "src/cli/print.ts"))};
guardOutput([process.env.MY_API_KEY]);
printRedactedJson(JSON.parse(process.env.VALUE));
printRedactedJson({ plain: "nothing here", n: [1, 2] });
`,
  });
  const proc = Bun.spawn([process.execPath, join(dir, "print.ts")], {
    env: { ...process.env, MY_API_KEY: secret, VALUE: JSON.stringify(value) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
  expect(out).not.toContain(secret);
  const [first, second] = out.split(/\n(?=\{)/);
  expect(JSON.parse(first!)).toEqual({
    note: "the key is ***redacted***",
    nested: [{ "***redacted***": 1 }],
    plain: "nothing here",
  });
  expect(second).toBe(`${JSON.stringify({ plain: "nothing here", n: [1, 2] }, null, 2)}\n`);
});
