import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CHECKS, checkCopilot, renderMatrixRow } from "../../scripts/_compat.ts";
import { PINNED_COPILOT_VERSION } from "../../src/version.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { removeCreated, tempDir } from "../helpers/tmp.ts";

// Real processes (the Copilot CLI, git, an MCP server): three minutes on a busy machine.
setDefaultTimeout(180_000);
// Hundreds of MB of temporary files: removed when this file is done, not at the end of the suite.
afterAll(removeCreated, 120_000);

/**
 * The compatibility matrix (scripts/compat.ts) for the pinned Copilot CLI — the dev
 * dependency's native executable — and its row in docs/compatibility.md. The script runs the
 * other versions on demand.
 */

const PINNED = join(PROJECT_ROOT, `node_modules/@github/copilot-${process.platform}-${process.arch}/copilot`);

describe("compatibility matrix", () => {
  test(`the pinned CLI (${PINNED_COPILOT_VERSION}) passes every column, and docs/compatibility.md says so`, async () => {
    const row = await checkCopilot({ binary: PINNED, workDir: tempDir("cx-compat-") });
    expect(row.version).toBe(PINNED_COPILOT_VERSION);
    expect(row.refused).toBeUndefined();
    expect(row.notes).toEqual([]);
    expect(row.checks).toEqual(
      Object.fromEntries(Object.keys(CHECKS).map((id) => [id, true])) as Record<keyof typeof CHECKS, boolean>,
    );
    expect(Object.entries(row.features).filter(([, present]) => present !== true)).toEqual([]);

    // The documented row: the same cells (the publication date comes from the registry).
    const doc = readFileSync(join(PROJECT_ROOT, "docs/compatibility.md"), "utf8");
    const documented = doc.split("\n").find((l) => l.startsWith(`| ${PINNED_COPILOT_VERSION} | 2`));
    expect(documented).toBeDefined();
    const cells = (line: string) => line.split(" | ").filter((_, i) => i !== 1);
    expect(cells(documented!)).toEqual(cells(renderMatrixRow(row, "")));
  });
});
