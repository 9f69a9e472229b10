import { describe, expect, test } from "bun:test";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import { UserError } from "../../../src/errors.ts";
import { analyzeSession } from "../../../src/session/analysis.ts";
import { buildTrajectory } from "../../../src/session/trajectory.ts";
import { compileGuard } from "../../../src/store/guard.ts";
import { Problems } from "../../../src/store/json-file.ts";
import { ARTIFACTS, trialDir, variantDir } from "../../../src/store/layout.ts";
import { loadRun, loadRunLenient, loadTrials, readRunRecord } from "../../../src/store/reader.ts";
import { TrialMetaSchema } from "../../../src/store/schema.ts";
import { TrialMetricsSchema } from "../../../src/store/session-schema.ts";
import { TrajectorySchema } from "../../../src/store/trajectory-schema.ts";
import { PROJECT_ROOT } from "../../helpers/cli.ts";
import { writeAllStatusesRun } from "../../helpers/hand-made-run.ts";
import { writeSyntheticRun } from "../../helpers/synthetic-run.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** Reading a run back: the compiled guard agrees with zod, and `loadRun` with a zod reading. */

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("compileGuard", () => {
  const meta = readJson(join(trialDir(writeAllStatusesRun(tempDir()), "base", "alpha", 1), ARTIFACTS.meta));
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

  test("a recursive schema (trajectory.json, sub-agents nested) compiles and agrees with zod", async () => {
    const dir = join(PROJECT_ROOT, "test/fixtures/sessions/subagent-reasoning");
    const events = join(dir, "events.jsonl");
    const t = await buildTrajectory(events, await analyzeSession({ eventsPath: events }));
    const isTrajectory = compileGuard(TrajectorySchema);
    const cases: unknown[] = [t, { ...t, bogus: 1 }, { ...t, steps: [{ ...t.steps[0], step_id: 0 }] }];
    const sub = t.subagent_trajectories![0]!;
    cases.push({ ...t, subagent_trajectories: [{ ...sub, agent: { name: "x" } }] });
    cases.push({ ...t, subagent_trajectories: [{ ...sub, subagent_trajectories: [sub] }] });
    cases.push({
      ...t,
      subagent_trajectories: [{ ...sub, subagent_trajectories: [{ ...sub, steps: "no" }] }],
    });
    const verdicts = cases.map((c) => [isTrajectory(c), TrajectorySchema.safeParse(c).success]);
    expect(verdicts).toEqual([
      [true, true],
      [false, false],
      [false, false],
      [false, false],
      [true, true],
      [false, false],
    ]);
  });

  test("schemas with checks fall back to zod itself", () => {
    const schema = z.object({ n: z.number().int().min(1) });
    const guard = compileGuard(schema);
    for (const v of [{ n: 1 }, { n: 0 }, { n: 1.5 }, { n: "1" }])
      expect(guard(v)).toBe(schema.safeParse(v).success);
  });
});

/** Every trial folder under a run, whatever its contents. */
function trialFolders(runDir: string): string[] {
  const out: string[] = [];
  for (const v of readdirSync(join(runDir, "variants"))) {
    for (const t of readdirSync(join(runDir, "variants", v, "tasks"))) {
      const trials = join(runDir, "variants", v, "tasks", t, "trials");
      for (const e of readdirSync(trials, { withFileTypes: true }))
        if (e.isDirectory()) out.push(join(trials, e.name));
    }
  }
  return out;
}

/** A trial is a result when its meta.json parses as JSON and zod accepts it. */
function zodAccepts(dir: string): boolean {
  try {
    return TrialMetaSchema.safeParse(readJson(join(dir, ARTIFACTS.meta))).success;
  } catch {
    return false;
  }
}

describe("loadRunLenient and loadRun", () => {
  test("reads the trials zod accepts, in the run's variant and task order, unlisted variants last", () => {
    const dir = writeAllStatusesRun(tempDir());
    // run.json lists the variants in the opposite of their folders' order.
    const record = readJson(join(dir, ARTIFACTS.run));
    record.variants.reverse();
    writeFileSync(join(dir, ARTIFACTS.run), JSON.stringify(record));
    const patchMeta = (trial: string, over: Record<string, unknown>) =>
      writeFileSync(
        join(trial, ARTIFACTS.meta),
        JSON.stringify({ ...readJson(join(trial, ARTIFACTS.meta)), ...over }),
      );
    // Not results: a trial that never finished, a damaged meta.json, a field of the wrong type.
    rmSync(join(trialDir(dir, "tuned", "beta", 1), ARTIFACTS.meta));
    writeFileSync(join(trialDir(dir, "base", "beta", 2), ARTIFACTS.meta), '{"status": "ok"');
    patchMeta(trialDir(dir, "tuned", "alpha", 2), { trial: "2" });
    // Results whose metrics.json is not usable; one that names no session yet has metrics.json,
    // and a field this version does not know; a stray file.
    writeFileSync(join(trialDir(dir, "base", "alpha", 2), ARTIFACTS.metrics), "not json");
    writeFileSync(join(trialDir(dir, "tuned", "alpha", 1), ARTIFACTS.metrics), "[1, 2]");
    patchMeta(trialDir(dir, "base", "alpha", 1), { session_id: null, written_by_a_later_version: true });
    writeFileSync(join(dir, "variants", "base", "tasks", "alpha", "trials", "notes.txt"), "not a trial");
    // A variant run.json does not list, first in folder order.
    cpSync(variantDir(dir, "base"), variantDir(dir, "aaa-unlisted"), { recursive: true });
    for (const [task, n] of [
      ["alpha", 1],
      ["alpha", 2],
      ["beta", 1],
    ] as const) {
      patchMeta(trialDir(dir, "aaa-unlisted", task, n), { variant: "aaa-unlisted" });
    }

    const { run, skipped } = loadRunLenient(dir);
    expect(run.record).toEqual(readRunRecord(dir));
    // The damaged files are named, with why; the strict reading refuses the first of them.
    const named = (trial: string, file: string) => join(trial, file);
    expect(skipped.map((s) => s.path).sort()).toEqual(
      [
        named(trialDir(dir, "base", "beta", 2), ARTIFACTS.meta),
        named(trialDir(dir, "tuned", "alpha", 2), ARTIFACTS.meta),
        named(trialDir(dir, "base", "alpha", 2), ARTIFACTS.metrics),
        named(trialDir(dir, "tuned", "alpha", 1), ARTIFACTS.metrics),
        // The copied variant has copies of base's damaged files.
        named(trialDir(dir, "aaa-unlisted", "alpha", 2), ARTIFACTS.metrics),
        named(trialDir(dir, "aaa-unlisted", "beta", 2), ARTIFACTS.meta),
      ].sort(),
    );
    expect(
      skipped.find((s) => s.path.endsWith(join("beta", "trials", "002", ARTIFACTS.meta)))!.reason,
    ).toContain("truncated or damaged");
    expect(
      skipped.find((s) => s.path.includes(join("tuned", "tasks", "alpha", "trials", "002")))!.reason,
    ).toContain("trial");
    expect(() => loadRun(dir)).toThrow(UserError);
    const rel = run.trials.map((t) => relative(join(dir, "variants"), t.dir).split("\\").join("/"));
    expect(rel).toEqual([
      "tuned/tasks/alpha/trials/001",
      "tuned/tasks/beta/trials/002",
      "base/tasks/alpha/trials/001",
      "base/tasks/alpha/trials/002",
      "base/tasks/beta/trials/001",
      "aaa-unlisted/tasks/alpha/trials/001",
      "aaa-unlisted/tasks/alpha/trials/002",
      "aaa-unlisted/tasks/beta/trials/001",
    ]);
    expect(new Set(run.trials.map((t) => t.dir))).toEqual(new Set(trialFolders(dir).filter(zodAccepts)));
    expect(run.trials.map((t) => t.meta)).toEqual(
      run.trials.map((t) => readJson(join(t.dir, ARTIFACTS.meta))),
    );
    // metrics.json when zod accepts it; missing, not JSON or not valid: null.
    const validOrNull = (path: string) => {
      try {
        const v = readJson(path);
        return TrialMetricsSchema.safeParse(v).success ? v : null;
      } catch {
        return null;
      }
    };
    expect(run.trials.map((t) => t.metrics)).toEqual(
      run.trials.map((t) => validOrNull(join(t.dir, ARTIFACTS.metrics))),
    );
    expect(run.trials.filter((t) => t.metrics !== null)).toHaveLength(2);
  });

  test("loadTrials reads the trials against the record it is given; no variants folder, no trials", () => {
    const dir = writeAllStatusesRun(tempDir());
    const record = readRunRecord(dir);
    const reordered = { ...record, tasks: [...record.tasks].reverse() };
    expect(
      loadTrials(dir, reordered, new Problems("strict")).map(
        (t) => `${t.meta.variant}/${t.meta.task}/${t.meta.trial}`,
      ),
    ).toEqual([
      "base/beta/1",
      "base/beta/2",
      "base/alpha/1",
      "base/alpha/2",
      "tuned/beta/1",
      "tuned/beta/2",
      "tuned/alpha/1",
      "tuned/alpha/2",
    ]);
    rmSync(join(dir, "variants"), { recursive: true });
    expect(loadRun(dir).trials).toEqual([]);
  });
});

test("a copied trial folder is not a second trial", () => {
  const dir = writeSyntheticRun({
    root: tempDir(),
    variants: 1,
    tasks: 1,
    trialsPerCell: 2,
    seed: 3,
    statuses: "ok",
  });
  const [first] = loadRun(dir).trials;
  const trials = join(dir, "variants", first!.meta.variant, "tasks", first!.meta.task, "trials");
  cpSync(join(trials, "001"), join(trials, "001-copy"), { recursive: true });
  expect(loadRun(dir).trials.map((t) => relative(trials, t.dir))).toEqual(["001", "002"]);
});
