import { describe, expect, test } from "bun:test";
import { UserError } from "../../../src/errors.ts";
import { formatDiff, formatP } from "../../../src/render/compare.ts";
import { compareRuns } from "../../../src/results/compare.ts";
import { loadRun } from "../../../src/store/reader.ts";
import { type HandTrial, writeHandMadeRun } from "../../helpers/hand-made-run.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** Pairing rules and the figures of `compare` on small hand-made runs. */

const root = tempDir();
let n = 0;
function run(variants: string[], trials: (v: string) => HandTrial[], tasks = ["t1", "t2"]) {
  n += 1;
  return loadRun(
    writeHandMadeRun(root, {
      runId: `20260201T00000${n}Z_c0ffe${n}`,
      variants: variants.map((slug) => ({ slug })),
      tasks: tasks.map((slug) => ({ slug })),
      trials: variants.flatMap(trials),
    }),
  );
}
const cell = (variant: string, task: string, results: boolean[], aiu = 1): HandTrial[] =>
  results.map((success, i) => ({ variant, task, trial: i + 1, status: "ok", success, metrics: { aiu } }));

describe("compare", () => {
  test("one run with exactly two variants compares them in run order", () => {
    const r = run(["a", "b"], (v) => [...cell(v, "t1", [true, v === "a"]), ...cell(v, "t2", [true])]);
    const [c] = compareRuns(r, null).comparisons;
    expect([c!.a.variant, c!.b.variant]).toEqual(["a", "b"]);
    expect(c!.tasks.map((t) => t.diff)).toEqual([-0.5, 0]);
    // Differences −0.5 and 0: every sign assignment has the same |mean|, so p = 1.
    expect(c!.overall).toMatchObject({ test: "sign_flip", n_tasks: 2, diff: -0.25, p: 1 });
  });

  test("one run with three variants needs --variants; an unknown variant is named", () => {
    const r = run(["a", "b", "c"], (v) => cell(v, "t1", [true]), ["t1"]);
    expect(() => compareRuns(r, null)).toThrow(UserError);
    expect(() => compareRuns(r, null, { variants: ["a", "zz"] })).toThrow('has no variant "zz"');
    expect(compareRuns(r, null, { variants: ["c", "a"] }).comparisons[0]!.a.variant).toBe("c");
  });

  test("two one-variant runs with different slugs are compared; shared tasks only", () => {
    const a = run(["old"], (v) => [...cell(v, "t1", [true, true], 2), ...cell(v, "t2", [false], 2)]);
    const b = run(["new"], (v) => [...cell(v, "t1", [true, false], 1), ...cell(v, "t3", [true], 1)], [
      "t1",
      "t3",
    ]);
    const [c] = compareRuns(a, b).comparisons;
    expect(c!.shared_tasks).toEqual(["t1"]);
    expect(c!.only_a).toEqual(["t2"]);
    expect(c!.only_b).toEqual(["t3"]);
    expect(c!.overall).toMatchObject({ test: "fisher", n_tasks: 1, diff: -0.5, p: 1 });
    // Cost over the shared task's trials only: B spends half of what A does.
    expect(c!.cost).toMatchObject({ metric: "aiu", a_mean: 2, b_mean: 1, ratio: 0.5, low: 0.5, high: 0.5 });
  });

  test("no task graded on both sides: no test, no verdict", () => {
    const a = run(["v"], (v) => cell(v, "t1", [true]), ["t1"]);
    const b = run(["v"], (v) => cell(v, "t2", [false]), ["t2"]);
    const [c] = compareRuns(a, b).comparisons;
    expect(c!.overall).toMatchObject({ test: null, p: null, n_tasks: 0 });
    expect(c!.regression).toBe(false);
  });

  test("p-values and differences read well", () => {
    expect([formatP(0.5), formatP(0.03125), formatP(0.0001), formatP(null)]).toEqual([
      "0.50",
      "0.031",
      "<0.001",
      "–",
    ]);
    expect([formatDiff(-1), formatDiff(0.25), formatDiff(0), formatDiff(null)]).toEqual([
      "−100pp",
      "+25pp",
      "0pp",
      "–",
    ]);
  });
});
