import { defineCommand } from "citty";
import { scaffold } from "../../init/scaffold.ts";
import { log, printJson } from "../../util/log.ts";
import { jsonArgs } from "../args.ts";

export default defineCommand({
  meta: {
    name: "init",
    description: "Scaffold an experiment repository (example experiment, fixture, schema, README)",
  },
  args: {
    dir: {
      type: "positional",
      description: "Folder to create (must be empty unless --force)",
      required: true,
    },
    name: { type: "string", description: "Experiment name (default: the folder name)", valueHint: "N" },
    force: { type: "boolean", description: "Write into a non-empty folder", default: false },
    ...jsonArgs,
  },
  run({ args }) {
    const files = scaffold(args.dir, { name: args.name, force: args.force });
    if (args.json) {
      printJson({ dir: args.dir, files });
      return;
    }
    log.success(`Created ${files.length} files in ${args.dir}`);
    for (const f of files) process.stderr.write(`  ${f}\n`);
    process.stderr.write(
      `\nNext:\n  cd ${args.dir}\n  copilot-experiments check            # the tasks are sound\n  copilot-experiments run --dry-run    # the pipeline works here\n  copilot-experiments run              # the real thing (needs a GitHub token)\n`,
    );
  },
});
