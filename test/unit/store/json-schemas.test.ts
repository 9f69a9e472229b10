import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACT_SCHEMA_NAMES, artifactJsonSchema } from "../../../src/store/json-schemas.ts";
import { PROJECT_ROOT } from "../../helpers/cli.ts";

/** The published artifact schemas are the ones the code generates (`bun scripts/schemas.ts`). */

const DIR = join(PROJECT_ROOT, "docs/schemas");

describe("docs/schemas", () => {
  test("one file per artifact, named as the issue and the README promise", () => {
    expect(readdirSync(DIR).sort()).toEqual(
      ["analysis", "meta", "metrics", "run", "summary", "task", "trajectory", "variant", "verify"].map(
        (n) => `${n}.schema.json`,
      ),
    );
    expect([...ARTIFACT_SCHEMA_NAMES].sort()).toEqual([
      "analysis",
      "meta",
      "metrics",
      "run",
      "summary",
      "task",
      "trajectory",
      "variant",
      "verify",
    ]);
  });

  for (const name of ARTIFACT_SCHEMA_NAMES) {
    test(`${name}.schema.json is what the zod schema generates`, () => {
      const committed = JSON.parse(readFileSync(join(DIR, `${name}.schema.json`), "utf8"));
      expect(committed).toEqual(artifactJsonSchema(name));
      // trajectory.json is ATIF: its version is the format's own (docs/adr/0015).
      if (name === "trajectory")
        expect(committed.properties.schema_version).toEqual({ type: "string", const: "ATIF-v1.7" });
      else expect(committed.properties.format_version).toEqual({ type: "number", const: 1 });
    });
  }
});
