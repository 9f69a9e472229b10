import { ARTIFACT_SCHEMA_NAMES } from "../../store/artifact-names.ts";

export const schemaSpec = {
  meta: {
    name: "schema",
    description: "Print the JSON Schema of the experiment format, or of a results artifact (--artifact NAME)",
  },
  args: {
    artifact: {
      type: "string",
      description: `A results artifact: ${ARTIFACT_SCHEMA_NAMES.join(", ")}`,
      valueHint: "NAME",
    },
  },
} as const;
