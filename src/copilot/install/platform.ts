import { readdirSync } from "node:fs";
import { UserError } from "../../errors.ts";

/**
 * The suffix of the `@github/copilot-<suffix>` platform package for a machine: `linux-x64`,
 * `linuxmusl-arm64`, `darwin-arm64`, `win32-x64` … (the names the `@github/copilot` package lists
 * as optional dependencies).
 */
export const COPILOT_PLATFORMS = [
  "linux-x64",
  "linux-arm64",
  "linuxmusl-x64",
  "linuxmusl-arm64",
  "darwin-x64",
  "darwin-arm64",
  "win32-x64",
  "win32-arm64",
] as const;

export type CopilotPlatform = (typeof COPILOT_PLATFORMS)[number];

/** Is this Linux userland musl-based (Alpine)? The runtime's own report says which libc it was built for. */
function isMusl(): boolean {
  const report = (process.report?.getReport?.() ?? {}) as { header?: { glibcVersionRuntime?: string } };
  if (report.header?.glibcVersionRuntime) return false;
  try {
    return readdirSync("/lib").some((name) => name.startsWith("ld-musl-"));
  } catch {
    return false;
  }
}

export function detectCopilotPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): CopilotPlatform {
  const os = platform === "linux" ? (isMusl() ? "linuxmusl" : "linux") : platform;
  const name = `${os}-${arch}`;
  if (!(COPILOT_PLATFORMS as readonly string[]).includes(name)) {
    throw new UserError(`the Copilot CLI has no platform package for ${name}`, {
      hint: `Platform packages exist for ${COPILOT_PLATFORMS.join(", ")}; pass --platform to fetch another one.`,
    });
  }
  return name as CopilotPlatform;
}

export function isCopilotPlatform(value: string): value is CopilotPlatform {
  return (COPILOT_PLATFORMS as readonly string[]).includes(value);
}
