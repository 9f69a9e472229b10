import { resolve } from "node:path";
import { defineCommand } from "citty";
import { scaffold } from "../../init/scaffold.ts";
import { log, printJson } from "../../util/log.ts";
import { writeStderr } from "../../util/stdio.ts";
import { initSpec } from "../options/init.ts";

/** A path as a POSIX shell reads it: quoted when it holds anything but safe characters. */
const shellQuote = (path: string) =>
  /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;

export default defineCommand({
  meta: initSpec.meta,
  args: initSpec.args,
  run({ args }) {
    const files = scaffold(args.dir, { name: args.name, force: args.force });
    if (args.json) {
      printJson({ dir: args.dir, files });
      return;
    }
    const where = resolve(args.dir);
    log.success(`Created ${files.length} files in ${where}`);
    for (const f of files) writeStderr(`  ${f}\n`);
    writeStderr(
      [
        "",
        "Next:",
        `  cd ${shellQuote(where)}`,
        "  copilot-experiments check                      # the task is sound (no Copilot needed)",
        "  copilot-experiments run --variants scripted    # offline: the Copilot CLI, a scripted model",
        "  copilot-experiments show --last",
        "  copilot-experiments run                        # every variant: needs a GitHub token",
        "",
      ].join("\n"),
    );
  },
});
