import { describe, expect, test } from "bun:test";
import { splitArgv } from "../../../src/cli/argv.ts";
import { CATALOG, commandInfo } from "../../../src/cli/commands/catalog.ts";
import { commands } from "../../../src/cli/commands/index.ts";
import { specs } from "../../../src/cli/options/index.ts";
import { renderCommandUsage, renderTopUsage, wrapWords } from "../../../src/cli/usage.ts";

const split = (argv: string[]) => splitArgv(argv, (name) => commandInfo(name)?.optionalValues ?? []);

describe("the command line before a command loads", () => {
  test("global flags before the command: --root's value is not taken for the command", () => {
    const s = split(["--root", "lab", "--verbose", "list", "--json"]);
    expect(s.command).toBe("list");
    expect(s.rest).toEqual(["--root", "lab", "--verbose", "--json"]);
    expect(s.verbose).toBe(true);
    expect(split(["--root=lab", "list"]).command).toBe("list");
  });

  test("--no-color anywhere is taken by the frame", () => {
    const s = split(["--no-color", "show", "--last"]);
    expect(s).toMatchObject({ command: "show", rest: ["--last"], noColor: true });
    expect(split(["show", "--last", "--no-color"]).noColor).toBe(true);
  });

  test("--resume without a value never swallows the next flag; with one it keeps it", () => {
    expect(split(["run", "--resume", "--root", "lab"]).rest).toEqual(["--resume=", "--root", "lab"]);
    expect(split(["run", "--root", "lab", "--resume"]).rest).toEqual(["--root", "lab", "--resume="]);
    expect(split(["run", "--resume", "20261126T1033"]).rest).toEqual(["--resume", "20261126T1033"]);
    expect(split(["run", "--resume=abc", "--force"]).rest).toEqual(["--resume=abc", "--force"]);
    // Only where the command declares an optional value: other string options are left alone.
    expect(split(["show", "--root", "--last"]).rest).toEqual(["--root", "--last"]);
  });

  test("help, help CMD, CMD --help, --version", () => {
    expect(split(["help"])).toMatchObject({ command: undefined, help: true });
    expect(split(["help", "run"])).toMatchObject({ command: "run", help: true, rest: [] });
    expect(split(["run", "-h"])).toMatchObject({ command: "run", help: true });
    expect(split(["--version"])).toMatchObject({ command: undefined, version: true });
    expect(split(["-v"]).version).toBe(true);
    expect(split(["list", "--version"]).version).toBe(false);
  });

  test("after --, nothing is interpreted", () => {
    const s = split(["run", "--", "--help", "--no-color"]);
    expect(s).toMatchObject({ command: "run", help: false, noColor: false });
    expect(s.rest).toEqual(["--", "--help", "--no-color"]);
  });
});

describe("help text", () => {
  test("the catalog, the command loaders and the specs name the same commands, in workflow order", () => {
    expect(CATALOG.map((c) => c.name)).toEqual(Object.keys(commands));
    expect(Object.keys(specs)).toEqual(Object.keys(commands));
    expect(CATALOG.map((c) => c.name).slice(0, 14)).toEqual([
      "init",
      "check",
      "run",
      "show",
      "list",
      "inspect",
      "analyze",
      "compare",
      "plan",
      "report",
      "export",
      "merge",
      "reindex",
      "schema",
    ]);
  });

  test("every line fits the width, at 80 and at 50 columns", async () => {
    for (const width of [80, 50]) {
      const top = renderTopUsage(CATALOG, "0.1.0", width);
      expect(top.split("\n").filter((l) => l.length > width)).toEqual([]);
      for (const name of Object.keys(specs)) {
        const spec = await specs[name]!();
        const text = renderCommandUsage(name, spec.meta.description, spec.args, commandInfo(name), width);
        expect(text.split("\n").filter((l) => l.length > width)).toEqual([]);
      }
    }
  });

  test("a command parses exactly what its help shows: its definition is its spec", async () => {
    for (const name of Object.keys(commands)) {
      const [cmd, spec] = await Promise.all([commands[name]!(), specs[name]!()]);
      expect({ name, args: cmd.args, meta: cmd.meta }).toEqual({ name, args: spec.args, meta: spec.meta });
      expect(spec.meta.name).toBe(name);
    }
  });

  test("run's help shows --resume's value as optional, and the global options", async () => {
    const spec = await specs.run!();
    const text = renderCommandUsage("run", "Run", spec.args, commandInfo("run"), 100);
    expect(text).toContain("--resume [RUN]");
    expect(text).toContain("--concurrency N");
    expect(text).toContain("--no-isolate-home");
    expect(text).toContain("--root DIR");
    expect(text).toMatch(/Usage: copilot-experiments run \[NAMES\] \[options\]/);
  });

  test("wrapWords keeps long words whole and never returns an empty list", () => {
    expect(wrapWords("a bb ccc", 4)).toEqual(["a bb", "ccc"]);
    expect(wrapWords("x /a/very/long/path/name y", 6)).toEqual(["x", "/a/very/long/path/name", "y"]);
    expect(wrapWords("", 10)).toEqual([""]);
  });
});
