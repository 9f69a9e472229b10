import { describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { aggregate, groupBy } from "../../../src/index/_aggregate.ts";
import { compileGuard } from "../../../src/index/_guard.ts";
import { readRunForIndex } from "../../../src/index/_read.ts";
import { ARTIFACTS, trialDir } from "../../../src/results/layout.ts";
import { loadRun } from "../../../src/results/read-run.ts";
import { TrialMetaSchema } from "../../../src/results/schema.ts";
import { summarizeGroup } from "../../../src/results/summary.ts";
import { writeAllStatusesRun, writeHandMadeRun } from "../../helpers/hand-made-run.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** The index's fast paths must agree with the definitions they stand in for. */

describe("compileGuard", () => {
  const meta = JSON.parse(
    readFileSync(join(trialDir(writeAllStatusesRun(tempDir()), "base", "alpha", 1), ARTIFACTS.meta), "utf8"),
  );
  const isMeta = compileGuard(TrialMetaSchema);
  const zodSays = (v: unknown) => TrialMetaSchema.safeParse(v).success;

  test("accepts a real meta.json, rejects non-objects", () => {
    expect(isMeta(meta)).toBe(true);
    for (const v of [null, undefined, 1, "x", [], [meta]]) expect(isMeta(v)).toBe(zodSays(v));
  });

  test("agrees with zod on every field removed, nulled or given the wrong type", () => {
    const variants: unknown[] = [];
    for (const key of Object.keys(TrialMetaSchema.shape)) {
      for (const value of [undefined, null, 0, 1.5, Number.NaN, "", "ok", true, [], {}, ["a"], [{}]]) {
        variants.push({ ...meta, [key]: value });
      }
    }
    variants.push({ ...meta, attempts: [{ attempt: 1, status: "ok", error: null, session_id: null }] });
    variants.push({
      ...meta,
      attempts: [
        {
          attempt: 1,
          status: "timeout",
          error: "x",
          session_id: "s",
          started_at: "a",
          finished_at: "b",
          dir: null,
        },
      ],
    });
    variants.push({ ...meta, extra_key: "kept by neither check" });
    let rejected = 0;
    for (const v of variants) {
      expect(isMeta(v)).toBe(zodSays(v));
      if (!zodSays(v)) rejected++;
    }
    expect(rejected).toBeGreaterThan(Object.keys(TrialMetaSchema.shape).length * 5);
  });

  test("schemas with checks fall back to zod itself", () => {
    const schema = z.object({ n: z.number().int().min(1) });
    const guard = compileGuard(schema);
    for (const v of [{ n: 1 }, { n: 0 }, { n: 1.5 }, { n: "1" }])
      expect(guard(v)).toBe(schema.safeParse(v).success);
  });
});

describe("index reading and aggregates", () => {
  test("readRunForIndex reads the same trials as loadRun, in the same order", () => {
    const root = tempDir();
    const dir = writeAllStatusesRun(root);
    // A trial that never finished and one with a damaged meta.json are not results.
    rmSync(join(trialDir(dir, "tuned", "beta", 1), ARTIFACTS.meta));
    writeFileSync(join(trialDir(dir, "base", "beta", 2), ARTIFACTS.meta), '{"status": "ok"');
    writeFileSync(join(trialDir(dir, "base", "alpha", 2), ARTIFACTS.metrics), "not json");
    const fast = readRunForIndex(dir);
    const slow = loadRun(dir);
    expect(fast.trials.map((t) => t.dir)).toEqual(slow.trials.map((t) => t.dir));
    expect(fast.trials.map((t) => t.metrics)).toEqual(slow.trials.map((t) => t.metrics));
    expect(fast.trials.map((t) => t.meta)).toEqual(slow.trials.map((t) => t.meta));
    expect(fast.trials).toHaveLength(6);
  });

  test("aggregate matches summarizeGroup figure for figure", () => {
    const root = tempDir();
    const runs = [
      loadRun(writeAllStatusesRun(root)),
      loadRun(
        writeHandMadeRun(root, {
          runId: "20260109T000000Z_a66a66",
          variants: [{ slug: "v" }],
          tasks: [{ slug: "t" }, { slug: "u", graded: false }],
          trials: [0.1, 0.2, 0.7, 1 / 3].flatMap((aiu, i) => [
            {
              variant: "v",
              task: "t",
              trial: i + 1,
              status: "ok" as const,
              success: i % 2 === 0,
              metrics: { aiu },
            },
            {
              variant: "v",
              task: "u",
              trial: i + 1,
              status: "timeout" as const,
              success: null,
              durationS: 1 / 7,
            },
          ]),
        }),
      ),
    ];
    const keys = [
      "n_trials",
      "n_ran",
      "n_graded",
      "n_success",
      "n_failed_trials",
      "status_counts",
      "success_rate",
      "success_ci_low",
      "success_ci_high",
      "avg_aiu",
      "total_aiu",
      "n_aiu_known",
      "avg_total_tokens",
      "total_tokens",
      "avg_duration_s",
    ] as const;
    let groups = 0;
    for (const run of runs) {
      const all = [
        run.trials,
        ...groupBy(run.trials, (t) => t.meta.variant).values(),
        ...groupBy(run.trials, (t) => t.meta.task).values(),
      ];
      for (const trials of all) {
        const summary = summarizeGroup(trials);
        const fast = aggregate(trials);
        for (const key of keys) expect([key, fast[key]]).toEqual([key, summary[key]]);
        groups++;
      }
    }
    expect(groups).toBe(9);
  });
});
