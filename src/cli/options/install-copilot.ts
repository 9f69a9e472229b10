import { PINNED_COPILOT_VERSION } from "../../version.ts";
import { jsonArgs, rootArgs } from "./shared.ts";

export const installCopilotSpec = {
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
} as const;
