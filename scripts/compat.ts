/**
 * The Copilot CLI compatibility matrix (docs/compatibility.md):
 *
 *   bun scripts/compat.ts [VERSION…] [--cache DIR] [--probe] [--no-write]
 *
 * Installs each version's platform package from the npm registry (as `install-copilot` does,
 * without changing the default CLI; `--cache` or $COPILOT_EXPERIMENTS_CACHE picks the folder),
 * probes what its help documents, runs the matrix experiment against it (scripts/_compat.ts)
 * and rewrites the generated sections of docs/compatibility.md. `--probe` only probes features
 * (to find the first version with one) and prints the rows. The test suite runs the pinned
 * version (test/e2e/compat.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FEATURES, type FeatureId, feature, hasFeature } from "../src/copilot/capabilities.ts";
import { installCopilot } from "../src/copilot/install/install.ts";
import { resolveRegistry } from "../src/copilot/install/npm-config.ts";
import { detectCopilotPlatform } from "../src/copilot/install/platform.ts";
import { fetchPackument } from "../src/copilot/install/registry.ts";
import { probeCopilot } from "../src/copilot/probe.ts";
import { PINNED_COPILOT_VERSION } from "../src/version.ts";
import {
  type CompatRow,
  checkCopilot,
  PROJECT_ROOT,
  renderFeatureHeader,
  renderFeatureRow,
  renderFeatureTable,
  renderMatrixHeader,
  renderMatrixRow,
} from "./_compat.ts";

export const DEFAULT_VERSIONS = ["0.0.371", "1.0.55", "1.0.80", "1.0.92", PINNED_COPILOT_VERSION];
const DOC = join(PROJECT_ROOT, "docs", "compatibility.md");

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cache: { type: "string" },
    probe: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
// Newest first: each older CLI then runs with newer runtimes already in the shared cache, so the
// "session parsed" column (the session's version is the one probed) also shows that
// --no-auto-update pins the version.
const versions = (positionals.length > 0 ? positionals : DEFAULT_VERSIONS).sort((a, b) =>
  Bun.semver.order(b, a),
);
const env = { ...process.env };
if (values.cache) env.COPILOT_EXPERIMENTS_CACHE = values.cache;

const registry = await resolveRegistry({ root: PROJECT_ROOT, env });
const packument = await fetchPackument(registry, `@github/copilot-${detectCopilotPlatform()}`);
const published = (v: string) => packument.time?.[v]?.slice(0, 10);

const rows: CompatRow[] = [];
for (const version of versions) {
  const t0 = performance.now();
  const installed = await installCopilot({
    version,
    root: PROJECT_ROOT,
    env,
    makeDefault: false,
    force: false,
    onProgress: (m) => console.error(`  ${m}`),
  });
  let row: CompatRow;
  if (values.probe) {
    const probe = await probeCopilot(installed.path, env, { isolate: true });
    const features = Object.fromEntries(
      (Object.keys(FEATURES) as FeatureId[]).map((id) => [id, hasFeature(probe, feature(id)) ?? null]),
    ) as CompatRow["features"];
    row = { version: probe.version, features, checks: null, notes: [] };
  } else {
    const work = mkdtempSync(join(tmpdir(), "cx-compat-"));
    try {
      row = await checkCopilot({ binary: installed.path, workDir: work });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  rows.push(row);
  console.error(`${version}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  console.log(values.probe ? renderFeatureRow(row) : renderMatrixRow(row, published(version)));
}

if (!values.probe && !values["no-write"]) {
  const sections: Record<string, string> = {
    matrix: [renderMatrixHeader(), ...rows.map((r) => renderMatrixRow(r, published(r.version)))].join("\n"),
    features: [renderFeatureHeader(), ...rows.map(renderFeatureRow)].join("\n"),
    "feature-table": renderFeatureTable(),
  };
  let doc = readFileSync(DOC, "utf8");
  for (const [name, body] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- ${name}:begin[^>]*-->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!pattern.test(doc)) throw new Error(`docs/compatibility.md has no ${name} markers`);
    doc = doc.replace(pattern, (_, begin: string, end: string) => `${begin}\n${body}\n${end}`);
  }
  writeFileSync(DOC, doc);
  console.error(`wrote ${DOC}`);
}
