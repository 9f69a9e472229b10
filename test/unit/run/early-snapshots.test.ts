import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import type { Experiment, ResolvedTask } from "../../../src/experiment/load.ts";
import { startEarlySnapshots } from "../../../src/run/run-all.ts";
import { EarlySnapshots, RunSnapshots } from "../../../src/run/snapshots.ts";
import { Redactor } from "../../../src/secrets/redact.ts";
import { runDir } from "../../../src/store/layout.ts";
import { RunWriter } from "../../../src/store/writer.ts";
import { git } from "../../../src/workspace/git.ts";
import { buildSnapshot, checkOutSnapshot } from "../../../src/workspace/snapshot.ts";
import { resolvedTask } from "../../helpers/resolved-task.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

// Real git, a few repositories per test.
setDefaultTimeout(30_000);

const task = (slug: string, fixture: string) => resolvedTask({ slug, fixture_path: fixture });

function lab() {
  const root = writeTree(tempDir(), {
    "fixtures/app/main.py": "print(1)\n",
    "fixtures/app/lib/util.py": "def f():\n    return 1\n",
    "fixtures/other/README.md": "other\n",
  });
  return {
    root,
    app: join(root, "fixtures/app"),
    other: join(root, "fixtures/other"),
    experimentDir: join(root, "results", "e"),
  };
}

const pendingFolders = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(".snapshots.pending-")) : [];

describe("EarlySnapshots", () => {
  test("built before the run folder exists, moved into the run slice, and used there without a second build", async () => {
    const { root, app, other, experimentDir } = lab();
    const tasks = [task("one", app), task("two", app), task("three", other)];
    const early = new EarlySnapshots({ root, experiment: "e", tasks });
    // One pending folder, beside where the runs of the experiment go.
    expect(pendingFolders(experimentDir)).toHaveLength(1);

    const writer = new RunWriter(runDir(root, "e", "r1"), Redactor.none).create();
    const moved = await early.moveInto(writer, "whole");
    expect(pendingFolders(experimentDir)).toEqual([]);
    // Tasks with the same sources share a snapshot: two, both in the slice's folder.
    expect(moved.size).toBe(2);
    const slice = writer.snapshotsDir("whole");
    expect(readdirSync(slice).sort()).toEqual(["one", "three"]);

    const reference = await buildSnapshot({ task: tasks[0]!, root, dir: join(tempDir(), "reference") });
    const runSnapshots = new RunSnapshots(writer, "whole", root);
    runSnapshots.adopt(moved);
    const [one, two, three] = await Promise.all(tasks.map((t) => runSnapshots.get(t)));
    expect(one!.dir).toBe(join(slice, "one"));
    expect(two).toEqual(one!);
    expect(three!.dir).toBe(join(slice, "three"));
    expect(one!.baseline).toBe(reference.baseline);
    // Nothing was built again for the run.
    expect(readdirSync(slice).sort()).toEqual(["one", "three"]);

    // A workspace checked out from the moved snapshot reads its objects at their new place.
    const ws = join(tempDir(), "ws");
    checkOutSnapshot(one!, ws);
    expect((await git(["cat-file", "-t", one!.baseline], ws)).trim()).toBe("commit");
    expect((await git(["ls-tree", "-r", "--name-only", one!.baseline], ws)).trim().split("\n")).toEqual([
      "lib/util.py",
      "main.py",
    ]);
    await early.discard(); // after the move: nothing to do
    expect(readdirSync(slice).sort()).toEqual(["one", "three"]);
  });

  test("discarded when the run does not start: the results tree is left as it was", async () => {
    const fresh = lab();
    const early = new EarlySnapshots({ root: fresh.root, experiment: "e", tasks: [task("one", fresh.app)] });
    await early.discard();
    await early.discard();
    expect(existsSync(join(fresh.root, "results"))).toBe(false);

    // A results folder with an index stays; only the experiment folder the build made goes.
    const used = lab();
    mkdirSync(join(used.root, "results"));
    writeFileSync(join(used.root, "results", "index.db"), "");
    const second = new EarlySnapshots({ root: used.root, experiment: "e", tasks: [task("one", used.app)] });
    await second.discard();
    expect(readdirSync(join(used.root, "results"))).toEqual(["index.db"]);
  });

  test("a build that fails is not moved: the run's own snapshots build again for the trial", async () => {
    const { root, experimentDir } = lab();
    const early = new EarlySnapshots({ root, experiment: "e", tasks: [task("gone", join(root, "missing"))] });
    const writer = new RunWriter(runDir(root, "e", "r1"), Redactor.none).create();
    expect((await early.moveInto(writer, "whole")).size).toBe(0);
    expect(pendingFolders(experimentDir)).toEqual([]);
    expect(existsSync(writer.snapshotsDir("whole"))).toBe(false);
  });

  test("what a killed harness left is removed by the next run; a live, reused-pid-safe or foreign one is not", async () => {
    const { root, app, experimentDir } = lab();
    const exited = Bun.spawn(["true"]);
    await exited.exited;
    const host = hostname();
    const folders = {
      dead: { pid: exited.pid, host },
      // This process's pid, started at another time: the pid was reused, the owner is gone.
      reused: { pid: process.pid, host, pid_start: "1" },
      // pid 1 is alive; another host cannot be checked.
      live: { pid: 1, host },
      foreign: { pid: exited.pid, host: `${host}-elsewhere` },
    };
    for (const [name, owner] of Object.entries(folders)) {
      const dir = join(experimentDir, `.snapshots.pending-${name}`);
      mkdirSync(join(dir, "one"), { recursive: true });
      writeFileSync(join(dir, ".owner.json"), JSON.stringify(owner));
    }
    // Killed between creating the folder and naming its owner: kept for a while.
    mkdirSync(join(experimentDir, ".snapshots.pending-unnamed"));
    const experiments = [{ slug: "e", concurrency: 1, variants: [], tasks: [] }] as unknown as Experiment[];
    // Even a run that builds nothing early (a resume) cleans up.
    expect(startEarlySnapshots({ root, experiments, resume: true })).toBeUndefined();
    expect(pendingFolders(experimentDir).sort()).toEqual([
      ".snapshots.pending-foreign",
      ".snapshots.pending-live",
      ".snapshots.pending-unnamed",
    ]);
    const early = new EarlySnapshots({ root, experiment: "e", tasks: [task("one", app)] });
    expect(pendingFolders(experimentDir)).toHaveLength(4);
    await early.discard();
    expect(pendingFolders(experimentDir)).toHaveLength(3);
  });
});

describe("startEarlySnapshots", () => {
  const experiment = (tasks: ResolvedTask[]) =>
    [
      {
        slug: "e",
        concurrency: 2,
        tasks,
        variants: [{ slug: "v", trials: 1 }],
      },
    ] as unknown as Experiment[];

  test("builds for a new run's first trials, and not for a resume, a shard or tasks that clone", async () => {
    const { root, app, other, experimentDir } = lab();
    const tasks = [task("one", app), task("two", other), task("three", app)];
    const started = startEarlySnapshots({ root, experiments: experiment(tasks) });
    expect(started?.experiment).toBe("e");
    const writer = new RunWriter(runDir(root, "e", "r1"), Redactor.none).create();
    // concurrency 2: the first two trials' sources only.
    expect(
      [...(await started!.snapshots.moveInto(writer, "whole")).values()].map((s) => basename(s.dir)),
    ).toEqual(["one", "two"]);
    expect(startEarlySnapshots({ root, experiments: experiment(tasks), resume: "r1" })).toBeUndefined();
    expect(
      startEarlySnapshots({ root, experiments: experiment(tasks), shard: { index: 1, count: 2 } }),
    ).toBeUndefined();
    const clone = {
      ...task("c", app),
      fixture_path: undefined,
      repo: "https://example.invalid/r.git",
    } as ResolvedTask;
    expect(startEarlySnapshots({ root, experiments: experiment([clone]) })).toBeUndefined();
    expect(pendingFolders(experimentDir)).toEqual([]);
  });
});
