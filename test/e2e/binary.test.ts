import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { ensureBinary, PROJECT_ROOT, runBinary } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, the compiled binary): a minute per test unless it says otherwise.
setDefaultTimeout(60_000);

describe("single binary", () => {
  test("works from an empty folder with no node_modules", async () => {
    const dir = tempDir("cx-bin-");
    const binary = join(dir, "copilot-experiments");
    copyFileSync(await ensureBinary(), binary);
    expect(readdirSync(dir)).toEqual(["copilot-experiments"]);

    const version = await runBinary(["--version"], { cwd: dir, binary });
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
    // `0.1.0 (abc123def456)`: the version and the commit the binary was built from.
    const [printed, commit] = /^(\S+) \(([0-9a-f]{12})(?:\+dirty)?\)$/.exec(version.stdout.trim())!.slice(1);
    expect(printed).toBe(pkg.version);
    const known = Bun.spawnSync(["git", "cat-file", "-e", `${commit}^{commit}`], { cwd: PROJECT_ROOT });
    expect(known.exitCode).toBe(0);

    const schema = await runBinary(["schema"], { cwd: dir, binary });
    expect(schema.code).toBe(0);
    const jsonSchema = JSON.parse(schema.stdout);
    expect(jsonSchema.$schema).toContain("2020-12");

    const list = await runBinary(["list", "--root", PROJECT_ROOT, "--json"], { cwd: dir, binary });
    expect(list.code).toBe(0);
    const { experiments } = JSON.parse(list.stdout);
    expect(experiments.map((e: { slug: string }) => e.slug)).toContain("fix-the-calculator");

    // The schema the binary prints validates the bundled example.
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(jsonSchema);
    for (const file of readdirSync(join(PROJECT_ROOT, "experiments")).filter((f) => f.endsWith(".yaml"))) {
      const doc = parse(readFileSync(join(PROJECT_ROOT, "experiments", file), "utf8"));
      expect({ file, valid: validate(doc), errors: validate.errors }).toEqual({
        file,
        valid: true,
        errors: null,
      });
    }
    // …and rejects what the loader rejects.
    expect(
      validate({ name: "x", task: { prompt: "p", fixture: "f" }, variants: [{ reasoning_efort: "low" }] }),
    ).toBe(false);
  });

  test("schema --artifact NAME prints docs/schemas/NAME.schema.json; an unknown name exits 2", async () => {
    for (const name of ["run", "variant", "task", "meta", "metrics", "analysis", "verify", "summary"]) {
      const printed = await runBinary(["schema", "--artifact", name]);
      expect(printed.code).toBe(0);
      const committed = readFileSync(join(PROJECT_ROOT, "docs/schemas", `${name}.schema.json`), "utf8");
      expect(JSON.parse(printed.stdout)).toEqual(JSON.parse(committed));
    }
    const unknown = await runBinary(["schema", "--artifact", "metric"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Did you mean metrics?");
  });

  test("docs/experiment.schema.json is the schema the CLI prints", async () => {
    const printed = await runBinary(["schema"]);
    const committed = readFileSync(join(PROJECT_ROOT, "docs/experiment.schema.json"), "utf8");
    expect(JSON.parse(committed)).toEqual(JSON.parse(printed.stdout));
  });
});
