import { resolve } from "node:path";
import { defineCommand } from "citty";
import { EXIT } from "../../errors.ts";
import { renderDoctor } from "../../render/doctor.ts";
import { runDoctor } from "../../run/doctor.ts";
import { printJson } from "../../util/log.ts";
import { jsonArgs, rootArgs } from "../args.ts";
import { printView } from "../print.ts";

export default defineCommand({
  meta: {
    name: "doctor",
    description:
      "What a run would find here (Copilot CLI, its version and features, git, token, results/); exit 1 when run would refuse",
  },
  args: {
    ...rootArgs,
    ...jsonArgs,
    copilot: {
      type: "string",
      description: "Copilot CLI executable (default: $COPILOT_BIN, install-copilot's, PATH, node_modules)",
      valueHint: "PATH",
    },
  },
  async run({ args }) {
    const report = await runDoctor({ root: resolve(args.root), env: process.env, copilotFlag: args.copilot });
    if (args.json) printJson(report);
    else printView(renderDoctor(report));
    return report.ok ? EXIT.ok : EXIT.threshold;
  },
});
