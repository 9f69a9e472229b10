import { resolve } from "node:path";
import { defineCommand } from "citty";
import { EXIT } from "../../errors.ts";
import { renderDoctor } from "../../render/doctor.ts";
import { runDoctor } from "../../run/doctor.ts";
import { printJson } from "../../util/log.ts";
import { doctorSpec } from "../options/doctor.ts";
import { printView } from "../print.ts";

export default defineCommand({
  meta: doctorSpec.meta,
  args: doctorSpec.args,
  async run({ args }) {
    const report = await runDoctor({ root: resolve(args.root), env: process.env, copilotFlag: args.copilot });
    if (args.json) printJson(report);
    else printView(renderDoctor(report));
    return report.ok ? EXIT.ok : EXIT.threshold;
  },
});
