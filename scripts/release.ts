/**
 * `bun run release`: self-contained binaries for every supported platform in dist/release/,
 * named `copilot-experiments-<version>-<target>[.exe]`, plus `SHA256SUMS` (the format
 * `sha256sum -c` reads) and `install.sh`. Bun fetches each target's runtime once and caches it.
 *
 *   bun run release [--out DIR] [--targets linux-x64,darwin-arm64] [--jobs N] [--tag vX.Y.Z]
 *
 * The release is built in a temporary sibling folder and renamed into place, so an interrupted
 * build never leaves a half-written release behind.
 */

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { buildCommit, compile } from "./_compile.ts";
import { RELEASE_TARGETS, releaseFileName } from "./_release-targets.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "dist/release" },
    targets: { type: "string" },
    jobs: { type: "string" },
    tag: { type: "string" },
  },
});

// A release from a tag (`--tag v0.1.0`, as the release workflow passes it) must be of that version.
if (values.tag !== undefined && values.tag.replace(/^v/, "") !== pkg.version) {
  console.error(
    `the tag ${values.tag} is not package.json's version ${pkg.version}: bump the version or retag`,
  );
  process.exit(2);
}

const wanted = values.targets
  ? values.targets.split(",").map((t) => t.trim())
  : RELEASE_TARGETS.map((t) => t.name);
const unknown = wanted.filter((name) => !RELEASE_TARGETS.some((t) => t.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown target(s): ${unknown.join(", ")}; known: ${RELEASE_TARGETS.map((t) => t.name).join(", ")}`,
  );
  process.exit(2);
}
const targets = RELEASE_TARGETS.filter((t) => wanted.includes(t.name));
const jobs = Math.max(1, Number(values.jobs ?? Math.min(targets.length, 2 * cpus().length)));

const out = resolve(values.out!);
const staging = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

const started = performance.now();
const commit = await buildCommit();
try {
  // Compiling is mostly I/O (copying the target's runtime): a few at once beats one by one.
  const queue = [...targets];
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let target = queue.shift(); target; target = queue.shift()) {
        const t0 = performance.now();
        const file = releaseFileName(pkg.version, target);
        await compile({ outfile: join(staging, file), commit, target: target.bun });
        console.error(`  ${file} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }),
  );

  const sums: string[] = [];
  for (const target of targets) {
    const file = releaseFileName(pkg.version, target);
    const hash = new Bun.CryptoHasher("sha256").update(await Bun.file(join(staging, file)).arrayBuffer());
    sums.push(`${hash.digest("hex")}  ${file}`);
  }
  writeFileSync(join(staging, "SHA256SUMS"), `${sums.join("\n")}\n`);

  // The installer, with this repository as its default source when the build runs in GitHub Actions.
  let installer = readFileSync("scripts/install.sh", "utf8");
  const repo = process.env.GITHUB_REPOSITORY;
  if (repo && /^[\w.-]+\/[\w.-]+$/.test(repo)) {
    installer = installer.replace(/^DEFAULT_REPO=.*$/m, `DEFAULT_REPO="${repo}"`);
  }
  writeFileSync(join(staging, "install.sh"), installer, { mode: 0o755 });

  rmSync(out, { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  renameSync(staging, out);
} catch (err) {
  rmSync(staging, { recursive: true, force: true });
  console.error((err as Error).message);
  process.exit(1);
}
console.error(
  `released ${targets.length} target(s) of ${pkg.version} (commit ${commit}) into ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
