import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type CliResult, ensureBinary, runBinary } from "../helpers/cli.ts";
import { writeFakeCopilot } from "../helpers/fake-copilot.ts";
import { tempDir, writeTree } from "../helpers/tmp.ts";

// The built binary and a fake `copilot` (a shell script): a minute per test at most.
setDefaultTimeout(60_000);

/**
 * What the store guarantees, driven through the built binary (containment issue, items 2, 6
 * and 9): every file it writes goes through the run's redactor; names read back from files or
 * given on the command line never lead outside `<root>/results/`; damaged files are exit 2
 * naming the file where a command cannot go on, and a warning naming it where it can.
 */

const fake = writeFakeCopilot();
const TOKEN = "github_pat_store_containment_5e1f0c";
const ENV = { COPILOT_GITHUB_TOKEN: TOKEN, COPILOT_BIN: fake };

const EXPERIMENT = `name: Contained
tasks:
  - name: alpha
    prompt: "Fix it. The deploy key is \${COPILOT_GITHUB_TOKEN}."
    fixture: fixtures/app
    setup: ["echo setup saw $COPILOT_GITHUB_TOKEN_COPY"]
    verify: "echo verify saw $COPILOT_GITHUB_TOKEN_COPY; test -f FAKE_CHANGE.txt"
    # let the secret through to setup and verify, so their output must be redacted
    verify_env: [COPILOT_GITHUB_TOKEN_COPY]
  - name: beta
    prompt: Make beta pass.
    fixture: fixtures/app
    verify: "echo verify saw $COPILOT_GITHUB_TOKEN_COPY; false"
    verify_env: [COPILOT_GITHUB_TOKEN_COPY]
variants:
  - {name: one, trials: 2}
`;

function newRoot(): string {
  return writeTree(tempDir("cx-store-"), {
    "experiments/contained.yaml": EXPERIMENT,
    "fixtures/app/README.md": "app\n",
  });
}

/** Every file under a folder (symlinks left alone), with its bytes. */
function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? allFiles(path) : [path];
  });
}

const run = (args: string[], extra: Record<string, string> = {}) =>
  runBinary(args, { env: { ...ENV, ...extra } });

/** A finished run of the experiment above; its folder. */
async function finishedRun(root: string): Promise<string> {
  const r = await run(["run", "--root", root], { COPILOT_GITHUB_TOKEN_COPY: TOKEN });
  expect(r.stderr).toContain("Contained: run");
  expect(r.code).toBe(0);
  const exp = join(root, "results", "contained");
  return join(exp, readdirSync(exp)[0]!);
}

const trialOf = (runDir: string, task: string, n: number) =>
  join(runDir, "variants", "one", "tasks", task, "trials", String(n).padStart(3, "0"));

function expectUserError(r: CliResult, ...fragments: string[]): void {
  expect(r.code).toBe(2);
  expect(r.stderr).not.toContain("This is a bug");
  for (const f of fragments) expect(r.stderr).toContain(f);
}

let root: string;
let runDir: string;
beforeAll(async () => {
  await ensureBinary();
  root = newRoot();
  runDir = await finishedRun(root);
}, 120_000);

describe("one redaction point: every file the store writes goes through the run's redactor", () => {
  test("the token, interpolated into a prompt and printed by setup and verify, is in no file and no output", async () => {
    // Where it would have landed: prompt.md, task.json, setup.txt, verify.json, the report, the index.
    const files = allFiles(join(root, "results"));
    expect(files.some((f) => f.endsWith("task.json"))).toBe(true);
    expect(files.some((f) => f.endsWith("setup.txt"))).toBe(true);
    const leaking = files.filter((f) => readFileSync(f).includes(TOKEN));
    expect(leaking).toEqual([]);
    expect(readFileSync(join(trialOf(runDir, "alpha", 1), "prompt.md"), "utf8")).toContain("***redacted***");
    expect(readFileSync(join(trialOf(runDir, "alpha", 1), "setup.txt"), "utf8")).toContain(
      "setup saw ***redacted***",
    );
    const verify = JSON.parse(readFileSync(join(trialOf(runDir, "alpha", 1), "verify.json"), "utf8"));
    expect(verify.output).toContain("verify saw ***redacted***");
    const junit = join(tempDir("cx-junit-"), "junit.xml");
    // What the read commands print: the token is in their environment, so they scrub it too.
    for (const args of [
      ["show", "--last"],
      ["show", "--last", "--json"],
      ["inspect", "--last", "--task", "alpha"],
      ["inspect", "--last", "--task", "alpha", "--json"],
      ["export", "--last"],
      ["export", "--last", "--format", "jsonl"],
      ["list"],
      ["list", "--json"],
    ]) {
      const r = await run([...args, "--root", root]);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      expect({ args, leaked: (r.stdout + r.stderr).includes(TOKEN) }).toEqual({ args, leaked: false });
    }
    // A second run writes JUnit outside results/: redacted too.
    const second = newRoot();
    const r = await run(["run", "--root", second, "--junit", junit], { COPILOT_GITHUB_TOKEN_COPY: TOKEN });
    expect(r.code).toBe(0);
    expect(readFileSync(junit, "utf8")).not.toContain(TOKEN);
    expect(readFileSync(junit, "utf8")).toContain("verify saw ***redacted***");
  });
});

describe("nothing is written outside <root>/results/", () => {
  test("a crafted --run-id (with --resume) is refused before anything is written", async () => {
    // A folder outside results/ that looks like a run of this experiment: a resume would fill it.
    const victim = join(tempDir("cx-victim-"), "run1");
    cpSync(runDir, victim, { recursive: true });
    rmSync(join(victim, "variants"), { recursive: true });
    const before = allFiles(victim).sort();
    const crafted = relative(join(root, "results", "contained"), victim);
    expect(crafted.startsWith("../")).toBe(true);
    const r = await run(["run", "--root", root, "--run-id", crafted, "--resume"]);
    expectUserError(r, "run id", "not a valid folder name");
    expect(allFiles(victim).sort()).toEqual(before);
    for (const id of ["../x", "a/b", ".hidden", ".."]) {
      expectUserError(
        await run(["run", "--root", root, "--run-id", id, "--resume"]),
        "not a valid folder name",
      );
      expectUserError(await run(["run", "--root", root, "--resume", id]), "not a valid folder name");
      expectUserError(await run(["show", id, "--root", root]), "not a valid folder name");
      expectUserError(await run(["report", id, "--root", root]), "not a valid folder name");
    }
  });

  test("merge refuses a shard whose run.json names a slug that leads outside", async () => {
    const shard = tempDir("cx-shard-");
    cpSync(join(root, "results"), join(shard, "results"), { recursive: true });
    const shardRun = join(
      shard,
      "results",
      "contained",
      readdirSync(join(shard, "results", "contained"))[0]!,
    );
    const record = JSON.parse(readFileSync(join(shardRun, "run.json"), "utf8"));
    record.experiment.slug = "../../../merge-escape";
    writeFileSync(join(shardRun, "run.json"), JSON.stringify(record));
    const target = tempDir("cx-merge-target-");
    const r = await run(["merge", join(shard, "results"), "--root", join(target, "deep", "root")]);
    expectUserError(r, join(shardRun, "run.json"), "experiment.slug");
    expect(allFiles(target)).toEqual([]);
    expect(existsSync(join(target, "merge-escape"))).toBe(false);
  });

  test("reindex and list leave a run out whose run.json names a crafted run id, with a warning naming it", async () => {
    const copy = newRoot();
    cpSync(join(root, "results"), join(copy, "results"), { recursive: true });
    const copied = join(copy, "results", "contained", readdirSync(join(copy, "results", "contained"))[0]!);
    const record = JSON.parse(readFileSync(join(copied, "run.json"), "utf8"));
    writeFileSync(join(copied, "run.json"), JSON.stringify({ ...record, run_id: "../../escape" }));
    const reindex = await run(["reindex", "--root", copy]);
    expect(reindex.code).toBe(0);
    expect(reindex.stderr).toContain(`skipped ${join(copied, "run.json")}`);
    expect(reindex.stdout).toContain("indexed 0 runs");
    const list = await run(["list", "--root", copy]);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain(join(copied, "run.json"));
    expect(existsSync(join(copy, "escape"))).toBe(false);
  });
});

describe("damaged files: exit 2 naming the file, or a warning naming it where a command can go on", () => {
  function damagedCopy(): { root: string; run: string } {
    const copy = newRoot();
    cpSync(join(root, "results"), join(copy, "results"), { recursive: true });
    return {
      root: copy,
      run: join(copy, "results", "contained", readdirSync(join(copy, "results", "contained"))[0]!),
    };
  }
  const truncate = (path: string) => writeFileSync(path, readFileSync(path, "utf8").slice(0, 40));

  test("a truncated meta.json: export and inspect exit 2 naming it; show and report warn and go on", async () => {
    const d = damagedCopy();
    const meta = join(trialOf(d.run, "beta", 2), "meta.json");
    truncate(meta);
    expectUserError(await run(["export", "--last", "--root", d.root]), meta, "truncated or damaged");
    expectUserError(
      await run(["inspect", "--last", "--task", "beta", "--trial", "2", "--root", d.root]),
      meta,
      "truncated or damaged",
    );
    const show = await run(["show", "--last", "--root", d.root, "--json"]);
    expect(show.code).toBe(0);
    expect(show.stderr).toContain(`skipped ${meta}`);
    expect(JSON.parse(show.stdout).summary.overall.n_trials).toBe(3);
    const report = await run(["report", "--last", "--root", d.root]);
    expect(report.code).toBe(0);
    expect(report.stderr).toContain(`skipped ${meta}`);
    const reindex = await run(["reindex", "--root", d.root]);
    expect(reindex.code).toBe(0);
    expect(reindex.stderr).toContain(`skipped ${meta}`);
  });

  test("a truncated run.json: show, export and run --resume exit 2 naming it; list warns", async () => {
    const d = damagedCopy();
    const runJson = join(d.run, "run.json");
    truncate(runJson);
    for (const args of [
      ["show", "--last", "--root", d.root],
      ["export", "--last", "--root", d.root],
      // `--resume` takes an optional value: last on the line, it takes none.
      ["run", "--root", d.root, "--resume"],
    ]) {
      expectUserError(await run(args), runJson, "truncated or damaged");
    }
    const list = await run(["list", "--root", d.root]);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain(`skipped ${runJson}`);
  });

  test("a damaged verify.json: inspect exits 2 naming it; a damaged summary.json: report recomputes and warns", async () => {
    const d = damagedCopy();
    const verify = join(trialOf(d.run, "alpha", 1), "verify.json");
    writeFileSync(verify, '{"format_version": 1, "command": 3}');
    expectUserError(await run(["inspect", "--last", "--task", "alpha", "--root", d.root]), verify, "command");
    const summary = join(d.run, "summary.json");
    truncate(summary);
    const report = await run(["report", "--last", "--root", d.root]);
    expect(report.code).toBe(0);
    expect(report.stderr).toContain(`skipped ${summary}`);
    expect(readFileSync(join(d.run, "report.html"), "utf8")).toContain("recomputed from the trials");
  });

  test("an index.db that cannot be opened: exit 2 naming it and suggesting reindex; a garbage one is rebuilt", async () => {
    const d = damagedCopy();
    const index = join(d.root, "results", "index.db");
    rmSync(index, { force: true });
    mkdirSync(index);
    const list = await run(["list", "--root", d.root]);
    expectUserError(list, index, "reindex");
    // At the end of a run, the results are written first; the index last.
    const again = await run(["run", "--root", d.root]);
    expectUserError(again, index, "reindex");
    const exp = join(d.root, "results", "contained");
    const newest = readdirSync(exp).sort().at(-1)!;
    expect(existsSync(join(exp, newest, "summary.json"))).toBe(true);
    expect(existsSync(join(exp, newest, "report.html"))).toBe(true);
    // Garbage in place of the file: replaced by a rebuilt index, as before.
    rmSync(index, { recursive: true });
    writeFileSync(index, "this is not a database, it is a text file that is long enough");
    const rebuilt = await run(["list", "--root", d.root, "--json"]);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout).runs.length).toBe(2);
  });
});
