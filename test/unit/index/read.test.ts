import { describe, expect, test } from "bun:test";
import { aggregate, groupBy } from "../../../src/index/_aggregate.ts";
import { loadRun } from "../../../src/results/read-run.ts";
import { summarizeGroup } from "../../../src/results/summary.ts";
import { writeAllStatusesRun, writeHandMadeRun } from "../../helpers/hand-made-run.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** The index's one-pass aggregates must agree with the summary's definitions. */

describe("index aggregates", () => {
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
