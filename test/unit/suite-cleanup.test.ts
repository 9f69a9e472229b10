import { expect, test } from "bun:test";
import { runCommand } from "../helpers/cli.ts";

// The suite's own check (test/helpers/cleanup.ts, preloaded): a run that leaves a temporary
// folder behind fails, naming it. Here a run of one test file that forgets its folder.
test("a test run that leaves a temporary folder fails, naming it", async () => {
  const result = await runCommand([process.execPath, "test", "./test/fixtures/leak/leaks-a-folder.ts"]);
  const output = result.stdout + result.stderr;
  expect(result.code).not.toBe(0);
  expect(output).toContain("(pass) leaves a temporary folder behind");
  expect(output).toMatch(/the test run left 1 temporary entry behind: cx-forgotten-\w+/);
});
