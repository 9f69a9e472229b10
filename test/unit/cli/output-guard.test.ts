import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../helpers/cli.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

test("everything the CLI process prints, on stdout and stderr, passes through the redactor", async () => {
  const dir = writeTree(tempDir(), {
    "print.ts": `
import { addOutputSecrets, guardOutput } from ${JSON.stringify(join(PROJECT_ROOT, "src/cli/output-guard.ts"))};
import { log, printData } from ${JSON.stringify(join(PROJECT_ROOT, "src/util/log.ts"))};
import { writeStderr, writeStdout } from ${JSON.stringify(join(PROJECT_ROOT, "src/util/stdio.ts"))};
guardOutput([process.env.MY_API_KEY]);
addOutputSecrets(["learned-later-secret-77"]);
writeStdout("stdout " + process.env.MY_API_KEY + "\\n");
printData("data " + process.env.MY_API_KEY);
log.warn("log learned-later-secret-77");
writeStderr("stderr " + process.env.MY_API_KEY + "\\n");
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
  expect(out).toBe("stdout ***redacted***\ndata ***redacted***\n");
  expect(err).toBe("warning: log ***redacted***\nstderr ***redacted***\n");
});

test("nothing under src/ writes to the process's streams except util/stdio.ts, which redacts", () => {
  // `console.*` is the linter's (biome.json); Bun.write to the descriptors is allowed where only
  // the program's own text is printed: --version and --help (cli/main.ts), and a build script.
  const allowed: Record<string, RegExp> = {
    "src/util/stdio.ts": /$^/,
    "src/cli/main.ts": /Bun\.write\(Bun\.stdout/,
    "src/report/build-client.ts": /Bun\.write\(Bun\.std(out|err)/,
  };
  const bypass = /process\.(stdout|stderr)\.write\b|Bun\.write\(\s*Bun\.std(out|err)\b|writeSync\(\s*[12]\b/;
  const offenders: string[] = [];
  for (const file of new Bun.Glob("src/**/*.ts").scanSync(PROJECT_ROOT)) {
    if (file === "src/util/stdio.ts") continue;
    const lines = readFileSync(join(PROJECT_ROOT, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (bypass.test(line) && !allowed[file]?.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(offenders).toEqual([]);
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
