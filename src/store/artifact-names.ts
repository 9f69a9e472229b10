/**
 * The results artifacts that have a JSON Schema (`schema --artifact NAME`, docs/schemas/), in the
 * order they are listed. A module of names only: `schema --help` lists them without building the
 * schemas; ./json-schemas.ts must define one for each name, and the compiler holds it to that.
 */
export const ARTIFACT_SCHEMA_NAMES = [
  "run",
  "variant",
  "task",
  "meta",
  "metrics",
  "analysis",
  "trajectory",
  "verify",
  "summary",
] as const;

export type ArtifactSchemaName = (typeof ARTIFACT_SCHEMA_NAMES)[number];
