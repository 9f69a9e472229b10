import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TRIAL_COLUMNS } from "../../../src/formats/trial-columns.ts";
import { listIndexedRuns } from "../../../src/index/query.ts";
import { rebuildIndex } from "../../../src/index/rebuild.ts";
import { INDEX_SCHEMA_VERSION, TABLES } from "../../../src/index/schema.ts";
import { indexRun } from "../../../src/index/update.ts";
import { Redactor } from "../../../src/secrets/redact.ts";
import { ARTIFACTS, indexPath, trialDir } from "../../../src/store/layout.ts";
import { loadRun } from "../../../src/store/reader.ts";
import { PROJECT_ROOT } from "../../helpers/cli.ts";
import { writeAllStatusesRun, writeHandMadeRun } from "../../helpers/hand-made-run.ts";
import { tempDir } from "../../helpers/tmp.ts";

/** Index a run folder as the end of a run does: from the run read once. */
const indexDir = (db: string, dir: string) => indexRun(db, loadRun(dir), Redactor.none);

const KEYS: Record<(typeof TABLES)[number], string> = {
  experiments: "experiment",
  runs: "experiment, run_id",
  variants: "experiment, run_id, variant",
  tasks: "experiment, run_id, task",
  trials: "experiment, run_id, variant, task, trial",
};

function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((t) => [t, db.query(`SELECT * FROM ${t} ORDER BY ${KEYS[t]}`).all()]),
    );
  } finally {
    db.close();
  }
}

function version(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
  } finally {
    db.close();
  }
}

/** Three runs of two experiments, with different trials, statuses and costs. */
function writeRuns(root: string): string[] {
  const small = (runId: string, startedAt: string, pass: boolean) =>
    writeHandMadeRun(root, {
      runId,
      startedAt,
      experiment: "small",
      variants: [{ slug: "a" }, { slug: "b", context: { mcp_servers: ["docs"] } }],
      tasks: [{ slug: "t1", prompt: 'quote " and, comma\nnewline' }, { slug: "t2" }],
      trials: [
        { variant: "a", task: "t1", trial: 1, status: "ok", success: pass, metrics: { aiu: 0.25 } },
        { variant: "a", task: "t2", trial: 1, status: "timeout", metrics: { aiu: null } },
        { variant: "b", task: "t1", trial: 1, status: "ok", metrics: { total_tokens: 123456 } },
        { variant: "b", task: "t2", trial: 1, status: "copilot_failed", metrics: null },
      ],
    });
  return [
    small("20260101T000000Z_000001", "2026-01-01T00:00:00.000Z", true),
    small("20260102T000000Z_000002", "2026-01-02T00:00:00.000Z", false),
    writeAllStatusesRun(root),
  ];
}

describe("SQLite index", () => {
  test("incremental indexing and reindex yield the same rows, row for row", () => {
    const root = tempDir();
    const runs = writeRuns(root);
    const incremental = join(root, "incremental.db");
    // Out of order, and one run indexed twice (a resumed run is finalized again).
    for (const dir of [runs[2]!, runs[0]!, runs[1]!, runs[0]!]) indexDir(incremental, dir);
    const counts = rebuildIndex(root, Redactor.none);
    expect(counts).toEqual({ runs: 3, trials: 16, skipped: [] });
    const a = dump(incremental);
    const b = dump(indexPath(root));
    expect(a).toEqual(b);
    expect(a.runs).toHaveLength(3);
    expect(a.trials).toHaveLength(16);
    expect(a.experiments).toHaveLength(2);
    expect(a.experiments!.find((e) => (e as { experiment: string }).experiment === "small")).toMatchObject({
      n_runs: 2,
      last_run_id: "20260102T000000Z_000002",
    });
  });

  test("a trial row carries every flat metric of metrics.json as a column", () => {
    const root = tempDir();
    const [dir] = writeRuns(root);
    indexDir(indexPath(root), dir!);
    const metrics = JSON.parse(readFileSync(join(trialDir(dir!, "a", "t1", 1), ARTIFACTS.metrics), "utf8"));
    const db = new Database(indexPath(root), { readonly: true });
    const row = db
      .query("SELECT * FROM trials WHERE variant = 'a' AND task = 't1' AND run_id = ?")
      .get("20260101T000000Z_000001") as Record<string, unknown>;
    db.close();
    const columns = Object.keys(row);
    expect(columns).toEqual(TRIAL_COLUMNS.map((c) => c.name));
    for (const [key, value] of Object.entries(metrics)) {
      if (key === "format_version" || key === "session_id") continue;
      const name = key === "duration_s" ? "session_duration_s" : key;
      if (value !== null && typeof value === "object" && !Array.isArray(value) && key === "aiu_by_type") {
        for (const [sub, v] of Object.entries(value)) expect(row[`${key}_${sub}`]).toBe(v as number);
      } else if (value !== null && typeof value === "object") {
        expect(JSON.parse(row[name] as string)).toEqual(value);
      } else {
        expect(row[name]).toBe(value as number);
      }
    }
    expect(row).toMatchObject({ status: "ok", success: 1, flaky_verify: 0, timed_out: 0, aiu: 0.25 });
  });

  test("re-indexing a run replaces its rows (a trial that disappeared is gone)", () => {
    const root = tempDir();
    const [dir] = writeRuns(root);
    const db = indexPath(root);
    indexDir(db, dir!);
    rmSync(join(trialDir(dir!, "b", "t2", 1), ARTIFACTS.meta));
    indexDir(db, dir!);
    const mine = (rows: unknown[]) =>
      rows.filter((r) => (r as { run_id: string }).run_id === "20260101T000000Z_000001");
    expect(mine(dump(db).trials!)).toHaveLength(3);
    expect(mine(dump(db).runs!)).toMatchObject([{ n_trials: 3, n_copilot_failed: 0 }]);
    expect(dump(db).trials).toHaveLength(15);
  });

  test("an index of another schema version is rebuilt from the results tree", () => {
    const root = tempDir();
    const runs = writeRuns(root);
    const path = indexPath(root);
    indexDir(path, runs[0]!);
    const db = new Database(path);
    db.run("INSERT INTO experiments VALUES ('ghost', 'Ghost', NULL, NULL, NULL, 1, 'x', 'y')");
    db.run("PRAGMA user_version = 7");
    db.close();
    expect(version(path)).toBe(7);
    // Indexing one run notices the old version and rebuilds everything on disk first.
    indexDir(path, runs[1]!);
    expect(version(path)).toBe(INDEX_SCHEMA_VERSION);
    const rows = dump(path);
    expect(rows.runs).toHaveLength(3);
    expect(rows.experiments!.map((e) => (e as { experiment: string }).experiment)).toEqual([
      "every-status",
      "small",
    ]);
  });

  test("list rebuilds an index with a changed user_version", () => {
    const root = tempDir();
    const runs = writeRuns(root);
    const path = indexPath(root);
    indexDir(path, runs[0]!);
    const db = new Database(path);
    db.run("DROP TABLE trials");
    db.run("PRAGMA user_version = 1");
    db.close();
    expect(listIndexedRuns(root, { redactor: Redactor.none }).map((r) => r.run_id)).toEqual([
      "20260101T000000Z_000001",
      "20260102T000000Z_000002",
      "20260102T030405Z_a11a11",
    ]);
    expect(dump(path).trials).toHaveLength(16);
  });

  test("a corrupt index file is replaced by a rebuilt one", () => {
    const root = tempDir();
    const runs = writeRuns(root);
    const path = indexPath(root);
    writeFileSync(path, "this is not a database, it is a text file that is long enough");
    indexDir(path, runs[0]!);
    expect(version(path)).toBe(INDEX_SCHEMA_VERSION);
    expect(dump(path).runs).toHaveLength(3);
  });

  test("list rebuilds when a run folder is not in the index; no results folder writes nothing", () => {
    const empty = tempDir();
    expect(listIndexedRuns(empty, { redactor: Redactor.none })).toEqual([]);
    expect(existsSync(join(empty, "results"))).toBe(false);

    const root = tempDir();
    const runs = writeRuns(root);
    indexDir(indexPath(root), runs[0]!);
    const listed = listIndexedRuns(root, { redactor: Redactor.none });
    expect(listed).toHaveLength(3);
    const every = listed.find((r) => r.run_id === "20260102T030405Z_a11a11")!;
    // ok 3 (2 graded passes + 1 graded failure) + timeout 1 → 2/4; infra failures beside it.
    expect(every).toMatchObject({
      n_trials: 8,
      n_graded: 4,
      n_success: 2,
      success_rate: 0.5,
      n_failed_trials: 2,
    });
    rmSync(runs[1]!, { recursive: true });
    expect(listIndexedRuns(root, { redactor: Redactor.none })).toHaveLength(2);
  });

  test("two processes indexing into the same database at once both succeed", async () => {
    const root = tempDir();
    const runs = writeRuns(root);
    const extra = [3, 4, 5].map((n) =>
      writeHandMadeRun(root, {
        runId: `20260103T00000${n}Z_00000${n}`,
        experiment: "small",
        variants: [{ slug: "a" }],
        tasks: [{ slug: "t1" }],
        trials: Array.from({ length: 40 }, (_, i) => ({
          variant: "a",
          task: "t1",
          trial: i + 1,
          status: "ok" as const,
        })),
      }),
    );
    const path = indexPath(root);
    const script = join(root, "index-many.ts");
    writeFileSync(
      script,
      `import { indexRun } from ${JSON.stringify(join(PROJECT_ROOT, "src/index/update.ts"))};
import { Redactor } from ${JSON.stringify(join(PROJECT_ROOT, "src/secrets/redact.ts"))};
import { loadRun } from ${JSON.stringify(join(PROJECT_ROOT, "src/store/reader.ts"))};
const [db, ...dirs] = process.argv.slice(2);
for (let round = 0; round < 15; round++) for (const dir of dirs) indexRun(db, loadRun(dir), Redactor.none);
console.log("done");
`,
    );
    const spawn = (dirs: string[]) =>
      Bun.spawn([process.execPath, script, path, ...dirs], { stdout: "pipe", stderr: "pipe" });
    // The database does not exist yet: both processes create it, find it empty and race to build it.
    const procs = [spawn([runs[0]!, extra[0]!, runs[2]!]), spawn([runs[1]!, extra[1]!, extra[2]!])];
    const results = await Promise.all(
      procs.map(async (p) => ({
        code: await p.exited,
        out: await new Response(p.stdout).text(),
        err: await new Response(p.stderr).text(),
      })),
    );
    for (const r of results) {
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out.trim()).toBe("done");
    }
    const concurrent = dump(path);
    expect(concurrent.runs).toHaveLength(6);
    expect(concurrent.trials).toHaveLength(16 + 120);
    rebuildIndex(root, Redactor.none, join(root, "fresh.db"));
    expect(concurrent).toEqual(dump(join(root, "fresh.db")));
    // Two Bun processes, 15 rounds each: seconds on a loaded machine, not a timing assertion.
  }, 60_000);
});
