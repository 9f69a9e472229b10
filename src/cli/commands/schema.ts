import { defineCommand } from "citty";
import { experimentJsonSchema } from "../../experiment/json-schema.ts";
import { printJson } from "../../util/log.ts";

export default defineCommand({
  meta: { name: "schema", description: "Print the JSON Schema of the experiment format" },
  args: {},
  run() {
    printJson(experimentJsonSchema());
  },
});
