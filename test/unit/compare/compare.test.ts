import { describe, expect, test } from "bun:test";
import { compareRuns } from "../../../src/compare/compare.ts";
import { UserError } from "../../../src/errors.ts";
import { formatDiff, formatP, renderCompare } from "../../../src/render/compare.ts";
import { loadRun } from "../../../src/store/reader.ts";
import { type HandTrial, writeHandMadeRun } from "../../helpers/hand-made-run.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** Pairing rules, the success figures and the gate of `compare` on small hand-made runs. */

const root = tempDir();
let n = 0;
function run(variants: string[], trials: (v: string) => HandTrial[], tasks = ["t1", "t2"]) {
  n += 1;
  return loadRun(
    writeHandMadeRun(root, {
      runId: `20260201T${String(n).padStart(6, "0")}Z_c0ffee`,
      variants: variants.map((slug) => ({ slug })),
      tasks: tasks.map((slug) => ({ slug })),
      trials: variants.flatMap(trials),
    }),
  );
}
const cell = (variant: string, task: string, results: boolean[], aiu = 1): HandTrial[] =>
  results.map((success, i) => ({ variant, task, trial: i + 1, status: "ok", success, metrics: { aiu } }));
/** `k` passes out of `n` trials. */
const passes = (k: number, total: number) => Array.from({ length: total }, (_, i) => i < k);

/** Two one-variant runs with the given (A, B) successes per task out of nA and nB trials. */
function pairOfRuns(counts: [number, number][], nA: number, nB: number) {
  const tasks = counts.map((_, i) => `t${i + 1}`);
  const a = run(["v"], (v) => counts.flatMap(([x], i) => cell(v, tasks[i]!, passes(x, nA))), tasks);
  const b = run(["v"], (v) => counts.flatMap(([, y], i) => cell(v, tasks[i]!, passes(y, nB))), tasks);
  return [a, b] as const;
}

describe("compare: pairing", () => {
  test("one run with exactly two variants compares them in run order", () => {
    const r = run(["a", "b"], (v) => [...cell(v, "t1", [true, v === "a"]), ...cell(v, "t2", [true])]);
    const [c] = compareRuns(r, null).comparisons;
    expect([c!.a.variant, c!.b.variant]).toEqual(["a", "b"]);
    expect(c!.tasks.map((t) => t.diff)).toEqual([-0.5, 0]);
    // MH weights nA·nB/(nA + nB): 1 for t1, 1/2 for t2 → (1·(−0.5) + 0.5·0) / 1.5 = −1/3.
    expect(c!.success.diff).toBeCloseTo(-1 / 3, 12);
    // Exact: t1 has m = 3 of 4, B holds 1 or 2 (P = 1/2 each); t2 is fixed. P(B ≤ 1) = 1/2.
    expect(c!.success).toMatchObject({ test: "exact_conditional", n_tasks: 2, p_worse: 0.5 });
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
    expect(c!.success).toMatchObject({
      test: "exact_conditional",
      test_label: "Fisher's exact test (one task)",
    });
    expect(c!.success.diff).toBe(-0.5);
    // Cost over the shared task's trials only: B spends half of what A does.
    expect(c!.cost).toMatchObject({ metric: "aiu", a_mean: 2, b_mean: 1, ratio: 0.5, low: 0.5, high: 0.5 });
  });

  test("no task graded on both sides: no test, no regression, a warning; with a margin the gate fails", () => {
    const a = run(["v"], (v) => cell(v, "t1", [true]), ["t1"]);
    const b = run(["v"], (v) => cell(v, "t2", [false]), ["t2"]);
    const r = compareRuns(a, b);
    expect(r.comparisons[0]!.success).toMatchObject({ test: null, p_worse: null, n_tasks: 0 });
    expect(r.comparisons[0]!.success.warnings.map((w) => w.code)).toEqual(["no_shared_tasks"]);
    expect(r.comparisons[0]!.gate).toMatchObject({ decision: "no_data", fails: false });
    expect(r.regression).toBe(false);
    expect(compareRuns(a, b, { margin: 0.1 }).regression).toBe(true);
  });
});

describe("compare: the trap cases of the comparisons issue", () => {
  test("the rounding case is not a regression: exact conditional one-sided p = 0.0821", () => {
    const [a, b] = pairOfRuns(
      [
        [0, 0],
        [2, 1],
        [2, 1],
        [3, 3],
        [2, 1],
        [2, 0],
        [2, 1],
        [2, 1],
        [0, 1],
        [2, 2],
      ],
      3,
      3,
    );
    const r = compareRuns(a, b);
    const s = r.comparisons[0]!.success;
    // Hand-checked (stratified hypergeometric convolution): 0.08212509375.
    expect(s.p_worse).toBeCloseTo(0.08212509375, 10);
    expect(s.test).toBe("exact_conditional");
    expect(r.comparisons[0]!.gate.decision).toBe("no_regression");
    expect(r.regression).toBe(false);
    // 17/30 vs 11/30 pooled; equal trial counts, so the MH difference is the mean of −0.2.
    expect([s.a_rate, s.b_rate]).toEqual([17 / 30, 11 / 30]);
    expect(s.diff).toBeCloseTo(-0.2, 12);
    expect(s.diff_low!).toBeLessThan(-0.2);
    expect(s.diff_high!).toBeGreaterThan(0);
  });

  test("3 tasks × 10 trials, 10/10 vs 0/10, is a regression (p = 1 / C(20, 10)³)", () => {
    const [a, b] = pairOfRuns(
      [
        [10, 0],
        [10, 0],
        [10, 0],
      ],
      10,
      10,
    );
    const r = compareRuns(a, b);
    expect(r.comparisons[0]!.success.p_worse! / (1 / 184756) ** 3).toBeCloseTo(1, 9);
    expect(r.comparisons[0]!.gate.decision).toBe("regression");
    expect(r.regression).toBe(true);
    expect(r.comparisons[0]!.success.diff).toBe(-1);
    expect(r.comparisons[0]!.success.diff_low).toBe(-1);
  });

  test("a design that cannot reach α says so: 4 tasks × 1 trial, smallest attainable p = 1/16", () => {
    const [a, b] = pairOfRuns(
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [1, 0],
      ],
      1,
      1,
    );
    const s = compareRuns(a, b).comparisons[0]!.success;
    expect(s.p_worse).toBe(1 / 16);
    expect(s.min_attainable_p).toBeCloseTo(1 / 16, 14);
    expect(s.warnings.map((w) => w.code)).toContain("cannot_reach_alpha");
    expect(s.min_detectable_drop).toBeNull();
  });

  test("very unbalanced trial counts are flagged", () => {
    const [a, b] = pairOfRuns(
      [
        [1, 9],
        [1, 8],
        [0, 9],
      ],
      1,
      10,
    );
    const codes = compareRuns(a, b).comparisons[0]!.success.warnings.map((w) => w.code);
    expect(codes).toContain("unbalanced_trials");
  });
});

describe("compare: the gate", () => {
  test("--margin: non-inferiority is shown when B matches A on many trials, not on few", () => {
    const [a, b] = pairOfRuns(
      Array.from({ length: 8 }, () => [18, 18] as [number, number]),
      20,
      20,
    );
    const shown = compareRuns(a, b, { margin: 0.15 });
    expect(shown.comparisons[0]!.gate).toMatchObject({
      kind: "non_inferiority",
      decision: "non_inferior",
      fails: false,
    });
    expect(shown.correction).toBe("intersection_union");
    const [c, d] = pairOfRuns([[2, 2]], 3, 3);
    const few = compareRuns(c, d, { margin: 0.1 });
    expect(few.comparisons[0]!.gate.decision).toBe("not_shown_non_inferior");
    expect(few.regression).toBe(true);
    expect(few.comparisons[0]!.success.warnings.map((w) => w.code)).toContain("non_inferiority_unreachable");
  });

  test("several pairs: Holm across them decides the exit code", () => {
    // Pair x: one task, A 6/6 vs B 2/6 → one-sided Fisher p = C(6,2)·C(6,6)/C(12,8) = 15/495.
    // Pair y: no difference. Holm: 2 · 15/495 = 0.0606 > 0.05, although 0.0303 alone is ≤ 0.05.
    const a = run(["x", "y"], (v) => cell(v, "t1", passes(6, 6)), ["t1"]);
    const b = run(["x", "y"], (v) => cell(v, "t1", passes(v === "x" ? 2 : 6, 6)), ["t1"]);
    const r = compareRuns(a, b);
    const x = r.comparisons[0]!.gate;
    expect(x.p).toBeCloseTo(15 / 495, 12);
    expect(x.p_adjusted).toBeCloseTo(30 / 495, 12);
    expect(x).toMatchObject({ n_pairs: 2, decision: "no_regression", fails: false });
    expect(r.regression).toBe(false);
    // The same pair alone fails the gate.
    expect(compareRuns(a, b, { variants: ["x"] }).regression).toBe(true);
    // A looser alpha makes the adjusted p pass the bar.
    expect(compareRuns(a, b, { alpha: 0.1 }).regression).toBe(true);
  });

  test("per-task p-values are Holm-adjusted and labelled", () => {
    const [a, b] = pairOfRuns(
      [
        [10, 0],
        [5, 5],
        [5, 4],
      ],
      10,
      10,
    );
    const r = compareRuns(a, b);
    const tasks = r.comparisons[0]!.tasks;
    // Fisher two-sided: t1 = 2/C(20,10), t2 = 1, t3 = 1 → Holm: 3·p1, 1, 1.
    expect(tasks[0]!.p_holm! / tasks[0]!.p!).toBeCloseTo(3, 12);
    expect(tasks.map((t) => t.p_holm).slice(1)).toEqual([1, 1]);
    expect(renderCompare(r, 80)).toContain("Holm-adjusted over 3 tasks");
  });

  test("--seed reaches the bootstrap and the power simulation; the same seed gives the same output", () => {
    const varied = (v: string, task: string, k: number): HandTrial[] =>
      passes(k, 3).map((success, i) => ({
        variant: v,
        task,
        trial: i + 1,
        status: "ok",
        success,
        metrics: { aiu: 0.5 + i * (v === "a" ? 0.3 : 0.4) },
      }));
    const r = run(
      ["a", "b"],
      (v) => [...varied(v, "t1", v === "a" ? 3 : 1), ...varied(v, "t2", 2), ...varied(v, "t3", 3)],
      ["t1", "t2", "t3"],
    );
    const one = compareRuns(r, null, { seed: 1 });
    expect(compareRuns(r, null, { seed: 1 })).toEqual(one);
    const other = compareRuns(r, null, { seed: 2 });
    expect(other.seed).toBe(2);
    const cost = (x: typeof one) => x.comparisons[0]!.cost;
    expect(cost(other).ratio).toBe(cost(one).ratio);
    expect([cost(other).low, cost(other).high]).not.toEqual([cost(one).low, cost(one).high]);
    const power = (x: typeof one) => x.comparisons[0]!.success.min_detectable_drop_power;
    expect(power(one)).not.toBeNull();
    expect(
      [1, 2, 3, 4, 5].map((seed) => power(compareRuns(r, null, { seed }))).some((p) => p !== power(one)),
    ).toBe(true);
  });
});

describe("compare: formatting", () => {
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
