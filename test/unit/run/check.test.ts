import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadExperiments } from "../../../src/experiment/load.ts";
import { checkExperiments } from "../../../src/run/check.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

/** Each task's verify notes when it starts and ends (epoch ms) in a log outside the workspaces. */
function rootWith(concurrency: number): { root: string; log: string } {
  const log = join(tempDir(), "verify.log");
  // alpha's verify is the slower: beta ends first, and is still reported second.
  const task = (name: string, sleep: number) =>
    `  - name: ${name}
    prompt: p
    fixture: fixtures/app
    verify: 'echo "start ${name} $(date +%s%3N)" >> ${log}; sleep ${sleep}; echo "end ${name} $(date +%s%3N)" >> ${log}; test -f fixed'
    solution: ["touch fixed"]
`;
  const root = writeTree(tempDir(), {
    "experiments/e.yaml": `name: E\nsandbox: none\nconcurrency: ${concurrency}\ntasks:\n${task("alpha", 0.8)}${task("beta", 0.3)}variants: [{name: v}]\n`,
    "fixtures/app/README.md": "app\n",
  });
  return { root, log };
}

/** The most verify runs under way at one moment, from the log. */
function mostAtOnce(log: string): number {
  const events = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(" "))
    .map(([kind, , at]) => ({ delta: kind === "start" ? 1 : -1, at: Number(at) }))
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let most = 0;
  for (const e of events) {
    now += e.delta;
    most = Math.max(most, now);
  }
  return most;
}

test("check runs the experiment's `concurrency` tasks at once, and reports them in the experiment's order", async () => {
  for (const concurrency of [1, 2]) {
    const { root, log } = rootWith(concurrency);
    const reported: string[] = [];
    const result = await checkExperiments(loadExperiments(root, [], {}), {
      onTask: (check) => reported.push(check.task),
    });
    expect(result.tasks.map((t) => [t.task, t.verdict])).toEqual([
      ["alpha", "ok"],
      ["beta", "ok"],
    ]);
    expect(reported).toEqual(["alpha", "beta"]);
    expect({ concurrency, most: mostAtOnce(log) }).toEqual({ concurrency, most: concurrency });
  }
});
