import { z } from "zod";
import { TOOL_NAME, TOOL_VERSION } from "../version.ts";
import { ExperimentSchema } from "./schema.ts";

/**
 * JSON Schema (draft 2020-12) of the experiment format, generated from the zod schema. `io:
 * "input"` describes what a user may write: fields with defaults are optional.
 */
export function experimentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ExperimentSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: `${TOOL_NAME} ${TOOL_VERSION} experiment`,
    description: "One experiment: tasks × variants × trials. See the README for every field.",
  };
}
