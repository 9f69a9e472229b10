import pkg from "../package.json" with { type: "json" };

export const TOOL_NAME = "copilot-experiments";
export const TOOL_VERSION: string = pkg.version;

// Replaced at compile time by `bun run build` / `bun run release` (`--define`, see scripts/_compile.ts).
declare const __CX_BUILD_COMMIT__: string | undefined;

/**
 * The git commit a binary was built from (`abc123def456`, `+dirty` when the tree had uncommitted
 * changes), or undefined when running from source.
 */
export const BUILD_COMMIT: string | undefined =
  typeof __CX_BUILD_COMMIT__ === "string" ? __CX_BUILD_COMMIT__ : undefined;

/** The `--version` line: `0.1.0 (abc123def456)`, or `0.1.0 (source)` when not compiled. */
export function versionLine(): string {
  return `${TOOL_VERSION} (${BUILD_COMMIT ?? "source"})`;
}

/** The Copilot CLI version this release is tested with (the `@github/copilot` dev dependency). */
export const PINNED_COPILOT_VERSION: string = pkg.devDependencies["@github/copilot"];
