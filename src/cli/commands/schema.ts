import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { experimentJsonSchema } from "../../experiment/json-schema.ts";
import {
  ARTIFACT_SCHEMA_NAMES,
  type ArtifactSchemaName,
  artifactJsonSchema,
} from "../../store/json-schemas.ts";
import { closestMatch } from "../../util/closest.ts";
import { printJson } from "../../util/log.ts";
import { schemaSpec } from "../options/schema.ts";

export default defineCommand({
  meta: schemaSpec.meta,
  args: schemaSpec.args,
  run({ args }) {
    if (args.artifact === undefined) {
      printJson(experimentJsonSchema());
      return;
    }
    const name = args.artifact.replace(/\.json$/, "");
    if (!(ARTIFACT_SCHEMA_NAMES as readonly string[]).includes(name)) {
      const suggestion = closestMatch(name, ARTIFACT_SCHEMA_NAMES);
      throw new UserError(`no artifact ${JSON.stringify(args.artifact)}`, {
        hint: `${suggestion ? `Did you mean ${suggestion}? ` : ""}Artifacts: ${ARTIFACT_SCHEMA_NAMES.join(", ")}.`,
      });
    }
    printJson(artifactJsonSchema(name as ArtifactSchemaName));
  },
});
