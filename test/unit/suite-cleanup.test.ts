import { expect, test } from "bun:test";
import { runCommand } from "../helpers/cli.ts";

// The suite's own check (test/helpers/cleanup.ts, preloaded): a run that leaves a temporary
// folder behind fails, naming it. Here a run of one test file that forgets its folder.
const LEAKS = "./test/fixtures/leak/leaks-a-folder.ts";
const CLEAN = "./test/fixtures/leak/leaves-nothing.ts";

test("a test run that leaves a temporary folder fails, naming it", async () => {
  const result = await runCommand([process.execPath, "test", LEAKS]);
  const output = result.stdout + result.stderr;
  expect(result.code).not.toBe(0);
  expect(output).toContain("(pass) leaves a temporary folder behind");
  expect(output).toMatch(/the test run left 1 temporary entry behind: cx-forgotten-\w+/);
});

// `bun run test` runs files in parallel workers, the preload before each (ADR 0020): the leak is
// reported under the file that made it, and the file beside it stays clean.
test("in parallel workers, the leak is reported under its own file", async () => {
  const result = await runCommand([process.execPath, "test", "--parallel", LEAKS, CLEAN]);
  const output = result.stdout + result.stderr;
  expect(result.code).not.toBe(0);
  expect(output.match(/the test run left \d+ temporary entr/g)).toHaveLength(1);
  // Each file's results come together under its name, in the order the files end.
  const sections = new Map<string, string>();
  for (const part of output.split(/^(?=test\/fixtures\/leak\/[\w-]+\.ts:$)/m)) {
    const name = /^test\/fixtures\/leak\/([\w-]+)\.ts:$/m.exec(part)?.[1];
    if (name) sections.set(name, part);
  }
  expect(sections.get("leaks-a-folder")).toMatch(/left 1 temporary entry behind: cx-forgotten-\w+/);
  expect(sections.get("leaves-nothing")).toContain("(pass) leaves nothing behind");
  expect(sections.get("leaves-nothing")).not.toContain("temporary entr");
});
