import { resolve } from "node:path";
import { defineCommand } from "citty";
import { installCopilot } from "../../copilot/install/install.ts";
import { log, printData, printJson } from "../../util/log.ts";
import { PINNED_COPILOT_VERSION } from "../../version.ts";
import { jsonArgs, rootArgs } from "../args.ts";

export default defineCommand({
  meta: {
    name: "install-copilot",
    description:
      "Fetch the Copilot CLI's native executable for this machine from the npm registry (no Node needed)",
  },
  args: {
    version: {
      type: "positional",
      description: `Version or dist-tag (default: ${PINNED_COPILOT_VERSION}, the version this release is tested with)`,
      required: false,
    },
    registry: {
      type: "string",
      description: "npm registry URL (default: npm_config_registry, .npmrc, or npm's own setting)",
      valueHint: "URL",
    },
    platform: {
      type: "string",
      description: "Platform package to fetch (default: this machine's, e.g. linux-x64, linuxmusl-arm64)",
      valueHint: "P",
    },
    default: {
      type: "boolean",
      description: "Make it the default CLI for runs",
      default: true,
      negativeDescription: "Install only; keep the current default",
    },
    force: { type: "boolean", description: "Download and extract again even if installed", default: false },
    ...rootArgs,
    ...jsonArgs,
  },
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
