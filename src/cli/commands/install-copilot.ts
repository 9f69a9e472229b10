import { resolve } from "node:path";
import { defineCommand } from "citty";
import { installCopilot } from "../../copilot/install/install.ts";
import { log, printData, printJson } from "../../util/log.ts";
import { installCopilotSpec } from "../options/install-copilot.ts";

export default defineCommand({
  meta: installCopilotSpec.meta,
  args: installCopilotSpec.args,
  async run({ args }) {
    const result = await installCopilot({
      version: args._[0] === undefined ? undefined : String(args._[0]),
      registry: args.registry,
      platform: args.platform,
      root: resolve(args.root),
      env: process.env,
      makeDefault: args.default,
      force: args.force,
      onProgress: (message) => log.info(message),
    });
    if (args.json) {
      printJson(result);
      return 0;
    }
    log.success(
      `${result.package}@${result.version} ${result.alreadyInstalled ? "is installed" : "installed"}${result.isDefault ? " and is the default CLI for runs" : ""}`,
    );
    printData(result.path);
    if (result.runs === undefined)
      log.info(`Not run here: ${result.platform} is another platform's package.`);
    else if (result.runs !== result.version) {
      log.warn(
        `it runs ${result.runs} here, not ${result.version}: its loader picks the newest runtime in its cache (~/.copilot/pkg) even with --no-auto-update (docs/compatibility.md); runs record ${result.runs}`,
      );
    }
    return 0;
  },
});
