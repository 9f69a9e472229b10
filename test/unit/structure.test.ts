import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { PROJECT_ROOT } from "../helpers/cli.ts";

/**
 * The layout rules of docs/architecture.md, checked on the source: no import cycles (between
 * files, and between folders), no upward imports between layers, and one writer of the results
 * tree (nothing outside src/store/ writes files, but the modules listed with their reason).
 */

const SRC = join(PROJECT_ROOT, "src");

/** Folders (and top-level files) from the bottom layer up; a module may import its own layer or below. */
const LAYERS: string[][] = [
  ["util", "errors.ts", "version.ts"],
  ["secrets", "statistics"],
  ["store"],
  ["experiment", "process", "workspace", "sandbox"],
  ["session"],
  ["copilot"],
  ["summary", "compare"],
  ["formats", "views"],
  ["index"],
  ["report"],
  ["run", "init"],
  ["render"],
  ["cli"],
];

/** Modules that write files, and why; any other module writes through src/store/writer.ts. */
const WRITERS: Record<string, string> = {
  "workspace/provision.ts": "lays down the trial's workspace (the agent's files, not artifacts)",
  "workspace/harness-repo.ts": "mirrors the workspace's git objects into the harness's own git directory",
  "workspace/sources.ts": "lays down a task's sources (fixture copy or clone) for a workspace or a snapshot",
  "workspace/snapshot.ts": "the run's snapshot of a task's sources, and a kept workspace's own objects",
  "workspace/index-stat.ts": "points a workspace's copied git index at the copies (stat data only)",
  "copilot/fakes/mock-invoker.ts": "plays Copilot: writes a session where the CLI would (staging)",
  "copilot/fakes/synthetic-session.ts": "writes a fake session log where Copilot keeps it (staging)",
  "copilot/fakes/scripted-provider.ts": "appends the model requests to a debugging log the user names",
  "run/trial/invoke.ts": "Copilot's raw output, staged outside results/ until the writer copies it in",
  "cli/main.ts":
    "writes --version and --help to stdout with Bun.write (no file), before the output guard exists",
  "report/build-client.ts": "a build-time script: prints the bundled report client to stdout (no file)",
  "copilot/install/install.ts":
    "installs a Copilot CLI into its own cache (install-copilot), not the results tree",
};

function sourceFiles(): string[] {
  return [...new Bun.Glob("**/*.ts").scanSync({ cwd: SRC })].filter((f) => !f.endsWith(".d.ts")).sort();
}

/** The relative imports of a file, as paths under src/ (type-only imports included). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = relative(SRC, resolve(dirname(join(SRC, file)), m[1]!));
    if (target.endsWith(".ts")) out.push(target);
  }
  return out;
}

const folderOf = (file: string) => (file.includes("/") ? file.split("/")[0]! : file);
const rankOf = (file: string) => LAYERS.findIndex((layer) => layer.includes(folderOf(file)));

function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

describe("source layout", () => {
  const files = sourceFiles();
  const graph = new Map(files.map((f) => [f, new Set(importsOf(f))]));

  test("every folder has a layer", () => {
    expect(files.filter((f) => rankOf(f) === -1)).toEqual([]);
  });

  test("no import cycle between files", () => {
    expect(findCycle(graph)).toBeNull();
  });

  test("no import cycle between folders", () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const set = folders.get(from) ?? new Set<string>();
      for (const t of targets) if (folderOf(t) !== from) set.add(folderOf(t));
      folders.set(from, set);
    }
    expect(findCycle(folders)).toBeNull();
  });

  test("no upward import: a module imports its own layer or those below", () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const t of targets) if (rankOf(t) > rankOf(file)) upward.push(`${file} -> ${t}`);
    }
    expect(upward).toEqual([]);
  });

  test("one writer: only src/store/ writes files, besides the modules listed with their reason", () => {
    const WRITE =
      /\b(writeFileSync|appendFileSync|renameSync|cpSync|copyFileSync|createWriteStream|Bun\.write)\b|\.writer\(\)/;
    const writers = files.filter(
      (f) => !f.startsWith("store/") && WRITE.test(readFileSync(join(SRC, f), "utf8")),
    );
    expect(writers.sort()).toEqual(Object.keys(WRITERS).sort());
  });

  test("only src/store/ builds paths of the results tree (its folder and file names)", () => {
    const FOLDER = /join\([^)]*["'`](results|variants|tasks|trials|attempts)["'`]/;
    const FILE = /join\([^)]*["'`][\w.-]+\.(json|jsonl|md|txt|diff|html|db)["'`]/;
    const code = (f: string) =>
      readFileSync(join(SRC, f), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
    // Copilot's own session-state layout, which the fake session reproduces, and the npm
    // package.json of an installed CLI are not ours.
    const copilots = new Set(["copilot/fakes/synthetic-session.ts", "copilot/install/install.ts"]);
    const spelled = files.filter(
      (f) => !f.startsWith("store/") && !copilots.has(f) && (FOLDER.test(code(f)) || FILE.test(code(f))),
    );
    expect(spelled).toEqual([]);
  });

  test("a command's --help loads its spec and nothing of the command: no package, no schema", () => {
    // What the specs reach, dynamic imports included (cli/options/index.ts loads one of them).
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of graph.get(file) ?? []) visit(next);
    };
    visit("cli/options/index.ts");
    expect([...reached].filter((f) => !f.startsWith("cli/options/")).sort()).toEqual([
      "store/artifact-names.ts",
      "version.ts",
    ]);
    // Static imports and re-exports (not type-only), side-effect imports, dynamic imports.
    const PACKAGE =
      /^(?:import|export) (?!type )[^;]*?from "([^".][^"]*)"|^import "([^".][^"]*)"|import\(\s*"([^".][^"]*)"/gm;
    const packages = [...reached].flatMap((f) =>
      [...readFileSync(join(SRC, f), "utf8").matchAll(PACKAGE)].map((m) => `${f}: ${m[1] ?? m[2] ?? m[3]}`),
    );
    expect(packages).toEqual([]);
  });
});
