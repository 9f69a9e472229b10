/**
 * `bun scripts/schemas.ts`: write the published JSON Schemas, generated from the zod schemas:
 * docs/experiment.schema.json and docs/schemas/<artifact>.schema.json. Tests check that the
 * committed files are what the code generates.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { experimentJsonSchema } from "../src/experiment/json-schema.ts";
import { ARTIFACT_SCHEMA_NAMES, artifactJsonSchema } from "../src/store/json-schemas.ts";

const docs = resolve(import.meta.dir, "../docs");
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(join(docs, "experiment.schema.json"), json(experimentJsonSchema()));
mkdirSync(join(docs, "schemas"), { recursive: true });
for (const name of ARTIFACT_SCHEMA_NAMES) {
  writeFileSync(join(docs, "schemas", `${name}.schema.json`), json(artifactJsonSchema(name)));
}
console.error(
  `wrote docs/experiment.schema.json and ${ARTIFACT_SCHEMA_NAMES.length} artifact schemas in docs/schemas/`,
);
// Committed as the formatter lays them out (the tests compare parsed JSON).
Bun.spawnSync(
  [
    process.execPath,
    "x",
    "biome",
    "format",
    "--write",
    join(docs, "experiment.schema.json"),
    join(docs, "schemas"),
  ],
  {
    stdout: "ignore",
  },
);
