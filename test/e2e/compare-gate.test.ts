import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createRng, stratifiedTest } from "../../src/statistics/index.ts";
import { runBinary } from "../helpers/cli.ts";
import { type HandTrial, writeHandMadeRun } from "../helpers/hand-made-run.ts";
import { tempDir } from "../helpers/tmp.ts";

/**
 * The trap cases of the comparisons issue through the built binary on results trees written by
 * the hand-made-run helper, and `plan` against scipy's simulation of the gate.
 */

setDefaultTimeout(120_000);

const REF = JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/stats-reference.json"), "utf8"));
const root = tempDir();
let day = 0;
// Thousands of trial folders take longer to remove than the shared cleanup hook may wait.
afterAll(() => rmSync(root, { recursive: true, force: true }), 120_000);

/** A one-run-per-side pair: per variant slug, per task, successes out of `trials`. */
function writeRun(runId: string, cells: Record<string, number[]>, trials: number, aiu = 1) {
  const tasks = cells[Object.keys(cells)[0]!]!.map((_, i) => ({
    slug: `t${String(i + 1).padStart(2, "0")}`,
  }));
  day += 1;
  writeHandMadeRun(root, {
    runId,
    experiment: "gate",
    startedAt: `2026-02-${String(day).padStart(2, "0")}T00:00:00.000Z`,
    variants: Object.keys(cells).map((slug) => ({ slug })),
    tasks,
    trials: Object.entries(cells).flatMap(([variant, successes]) =>
      successes.flatMap((k, i) =>
        Array.from(
          { length: trials },
          (_, j): HandTrial => ({
            variant,
            task: tasks[i]!.slug,
            trial: j + 1,
            status: "ok",
            success: j < k,
            metrics: { aiu: aiu + j / 10 },
          }),
        ),
      ),
    ),
  });
  return runId;
}

const cli = (args: string[]) => runBinary([...args, "--root", root]);
const json = async (args: string[]) => JSON.parse((await cli([...args, "--json"])).stdout);

describe("compare --fail-on-regression: the trap cases, built binary", () => {
  const NULL_SETS = 40;
  const nullCounts: { a: number[]; b: number[] }[] = [];

  beforeAll(() => {
    const rounding = [
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
    ];
    writeRun("20260201T000000Z_r0000a", { v: rounding.map(([a]) => a!) }, 3);
    writeRun("20260201T000000Z_r0000b", { v: rounding.map(([, b]) => b!) }, 3);
    writeRun("20260202T000000Z_t0000a", { v: [10, 10, 10] }, 10);
    writeRun("20260202T000000Z_t0000b", { v: [0, 0, 0] }, 10);
    writeRun("20260203T000000Z_f0000a", { v: [10, 10, 10, 10, 10] }, 10);
    writeRun("20260203T000000Z_f0000b", { v: [0, 0, 0, 0, 0] }, 10);
    // The null with 1 trial for A and 10 for B per task, task rates ~ Beta(9, 1): one variant per
    // simulated data set, so one `compare` of the two runs reports every data set as a pair.
    const random = createRng(13);
    for (let s = 0; s < NULL_SETS; s++) {
      const rates = Array.from({ length: 10 }, () => random() ** (1 / 9));
      nullCounts.push({
        a: rates.map((r) => (random() < r ? 1 : 0)),
        b: rates.map((r) => Array.from({ length: 10 }, () => random() < r).filter(Boolean).length),
      });
    }
    const slug = (s: number) => `set-${String(s).padStart(3, "0")}`;
    const side = (key: "a" | "b") => Object.fromEntries(nullCounts.map((c, s) => [slug(s), c[key]]));
    // A's runs have 1 trial per task: the helper writes `trials` trials with the first k passing.
    writeRun("20260204T000000Z_n0000a", side("a"), 1);
    writeRun("20260204T000000Z_n0000b", side("b"), 10);
  });

  test("the rounding case is not a regression: exact conditional p = 0.0821, exit 0", async () => {
    const args = ["compare", "20260201T000000Z_r0000a", "20260201T000000Z_r0000b"];
    const gate = await cli([...args, "--fail-on-regression"]);
    expect(gate.code).toBe(0);
    expect(gate.stdout).toContain("no evidence that B is worse than A: one-sided p = 0.082 > α = 0.05");
    expect(gate.stdout).toContain("exact conditional test stratified by 10 tasks");
    const c = (await json(args)).comparisons[0];
    expect(c.success.p_worse).toBeCloseTo(0.08212509375, 10);
    expect(c.gate).toMatchObject({ kind: "regression", decision: "no_regression", fails: false });
    expect(c.success.diff).toBeCloseTo(-0.2, 12);
    expect(typeof c.success.min_detectable_drop).toBe("number");
  });

  test("3 tasks × 10 trials, 10/10 vs 0/10, is a regression: exit 1", async () => {
    const args = ["compare", "20260202T000000Z_t0000a", "20260202T000000Z_t0000b"];
    expect((await cli([...args, "--fail-on-regression"])).code).toBe(1);
    expect((await cli(args)).code).toBe(0);
    const c = (await json(args)).comparisons[0];
    expect(c.success.p_worse / (1 / 184756) ** 3).toBeCloseTo(1, 9);
    expect(c.gate.decision).toBe("regression");
  });

  test("5 tasks, 10/10 vs 0/10 (exit 0 under the task-level test) is a regression: exit 1", async () => {
    const r = await cli([
      "compare",
      "20260203T000000Z_f0000a",
      "20260203T000000Z_f0000b",
      "--fail-on-regression",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("gate: B is worse than A");
  });

  test("under the null, 1 vs 10 trials: the binary's p-values are the exact test's; Holm over the data sets", async () => {
    const out = await json(["compare", "20260204T000000Z_n0000a", "20260204T000000Z_n0000b"]);
    expect(out.comparisons).toHaveLength(NULL_SETS);
    let flagged = 0;
    out.comparisons.forEach(
      (c: { success: { p_worse: number; warnings: { code: string }[] } }, s: number) => {
        const strata = nullCounts[s]!.a.map((a, k) => ({
          aSuccess: a,
          aTrials: 1,
          bSuccess: nullCounts[s]!.b[k]!,
          bTrials: 10,
        }));
        expect(c.success.p_worse).toBeCloseTo(stratifiedTest(strata).pWorse, 12);
        expect(c.success.warnings.map((w) => w.code)).toContain("unbalanced_trials");
        if (c.success.p_worse <= 0.05) flagged++;
      },
    );
    // Unadjusted, each data set is a level-0.05 test; scipy's rate over 20,000 sets is tiny.
    expect(flagged).toBeLessThanOrEqual(
      Math.ceil(NULL_SETS * (0.05 + 3 * Math.sqrt((0.05 * 0.95) / NULL_SETS))),
    );
    expect(out.correction).toBe("holm");
    expect(out.regression).toBe(false);
  });

  test("--margin and --alpha are validated; --margin changes the gate to non-inferiority", async () => {
    const bad = await cli([
      "compare",
      "20260201T000000Z_r0000a",
      "20260201T000000Z_r0000b",
      "--margin",
      "1.5",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--margin expects a number between 0 and 1");
    const ni = await cli([
      "compare",
      "20260201T000000Z_r0000a",
      "20260201T000000Z_r0000b",
      "--margin",
      "0.1",
      "--fail-on-regression",
    ]);
    expect(ni.code).toBe(1);
    expect(ni.stdout).toContain("B is not shown to be within 10pp of A");
  });
});

describe("plan, built binary", () => {
  test("--rate 0.7 --tasks 10 --detect 0.1: 31 trials per task, power within 2 points of scipy", async () => {
    const p = await json(["plan", "--rate", "0.7", "--tasks", "10", "--detect", "0.1"]);
    const ref = REF.power.find(
      (d: { rates: number[]; drop: number; n: number }) =>
        d.rates.length === 10 && d.rates[0] === 0.7 && d.drop === 0.1 && d.n === p.trials_per_task,
    );
    expect(p.trials_per_task).toBe(31);
    expect(p.total_trials).toBe(2 * 31 * 10);
    expect(Math.abs(p.power - ref.power)).toBeLessThanOrEqual(0.02);
    expect(p.power).toBeGreaterThanOrEqual(0.8);
    expect(p.cost).toBeNull();
  });

  test("--baseline: the variant's rates per task and its measured cost per trial, scaled to the plan", async () => {
    const p = await json(["plan", "--baseline", "20260202T000000Z_t0000a", "--detect", "0.3"]);
    expect(p.baseline).toEqual({ run_id: "20260202T000000Z_t0000a", variant: "v" });
    expect(p.tasks.map((t: { rate: number }) => t.rate)).toEqual([1, 1, 1]);
    // AIU per trial: 1 + j/10 for j = 0 … 9 → 1.45; duration 10 + trial → 15.5 s; concurrency 1.
    expect(p.cost.aiu_per_trial).toBeCloseTo(1.45, 12);
    expect(p.cost.total_aiu).toBeCloseTo(1.45 * p.total_trials, 9);
    expect(p.cost.wall_time_s).toBeCloseTo(15.5 * p.total_trials, 9);
    expect(p.cost.total_tokens).toBe(p.cost.tokens_per_trial * p.total_trials);
    const text = await cli(["plan", "--baseline", "20260202T000000Z_t0000a", "--detect", "0.3"]);
    expect(text.stdout).toContain(`trials per task: ${p.trials_per_task} for each variant`);
  });

  test("bad input exits 2 with what to do", async () => {
    const none = await cli(["plan", "--detect", "0.1"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--rate R --tasks N");
    const noDetect = await cli(["plan", "--rate", "0.7", "--tasks", "10"]);
    expect(noDetect.code).toBe(2);
    expect(noDetect.stderr).toContain("--detect");
    const zero = await cli(["plan", "--baseline", "20260202T000000Z_t0000b", "--detect", "0.1"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("no drop to detect");
  });
});
