import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../errors.ts";
import { writeJsonAtomic } from "../../store/atomic.ts";
import { PINNED_COPILOT_VERSION } from "../../version.ts";
import { probeCopilot } from "../probe.ts";
import {
  cacheRoot,
  copilotsDir,
  INSTALL_RECORD,
  type InstallRecord,
  installDir,
  readInstallRecord,
  writeDefault,
} from "./cache.ts";
import { resolveRegistry } from "./npm-config.ts";
import { type CopilotPlatform, detectCopilotPlatform, isCopilotPlatform } from "./platform.ts";
import { fetchPackument, fetchTarball, safeUrl, verifyIntegrity } from "./registry.ts";

/**
 * `install-copilot`: fetch the platform package of `@github/copilot` (a native executable, no
 * Node needed) from the npm registry, check it against the registry's integrity hash, extract it
 * into the cache, check it runs, and make it the default CLI for runs (README "Install").
 */

export interface InstallOptions {
  /** Exact version or dist-tag; default: the version this release was tested with. */
  version?: string;
  registry?: string;
  platform?: string;
  root: string;
  env: Record<string, string | undefined>;
  makeDefault: boolean;
  force: boolean;
  onProgress?: (message: string) => void;
}

export interface InstallResult extends InstallRecord {
  path: string;
  dir: string;
  cache: string;
  alreadyInstalled: boolean;
  isDefault: boolean;
  /** The version it runs here (`--version --no-auto-update`); undefined for another platform's package. */
  runs?: string;
}

const EXACT = /^\d+\.\d+\.\d+(-[\w.]+)?$/;

function pickPlatform(value: string | undefined): CopilotPlatform {
  if (value === undefined) return detectCopilotPlatform();
  if (!isCopilotPlatform(value)) {
    throw new UserError(`unknown --platform ${JSON.stringify(value)}`, {
      hint: "Use one of linux-x64, linux-arm64, linuxmusl-x64, linuxmusl-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64.",
    });
  }
  return value;
}

function nearestVersions(versions: string[], wanted: string): string {
  const exact = versions.filter((v) => EXACT.test(v) && !v.includes("-"));
  const sorted = exact.sort(Bun.semver.order);
  const newer = sorted.filter((v) => Bun.semver.order(v, wanted) > 0).slice(0, 3);
  const older = sorted.filter((v) => Bun.semver.order(v, wanted) < 0).slice(-3);
  return [...older, ...newer].join(", ");
}

export async function installCopilot(opts: InstallOptions): Promise<InstallResult> {
  const progress = opts.onProgress ?? (() => {});
  const platform = pickPlatform(opts.platform);
  const registry = await resolveRegistry({ flag: opts.registry, root: opts.root, env: opts.env });
  const pkgName = `@github/copilot-${platform}`;

  let version = opts.version ?? PINNED_COPILOT_VERSION;
  if (!EXACT.test(version)) {
    const main = await fetchPackument(registry, "@github/copilot");
    const tagged = main["dist-tags"][version];
    if (!tagged) {
      throw new UserError(`@github/copilot has no version or dist-tag ${JSON.stringify(version)}`, {
        hint: `Give a version such as ${PINNED_COPILOT_VERSION}, or a tag: ${Object.keys(main["dist-tags"]).join(", ")}.`,
      });
    }
    version = tagged;
  }

  const cache = cacheRoot(opts.env);
  const dir = installDir(cache, version, platform);
  const existing = readInstallRecord(dir);
  const runsHere = platform === detectHostPlatform();
  if (existing && !opts.force) {
    const path = join(dir, existing.executable);
    const runs = runsHere ? await checkRuns(path, opts.env) : undefined;
    if (opts.makeDefault) writeDefault(cache, existing);
    return { ...existing, path, dir, cache, alreadyInstalled: true, isDefault: opts.makeDefault, runs };
  }

  const packument = await fetchPackument(registry, pkgName);
  const entry = packument.versions[version];
  if (!entry) {
    throw new UserError(`the npm registry has no ${pkgName}@${version}`, {
      hint: `Nearby versions: ${nearestVersions(Object.keys(packument.versions), version) || "none"}. Versions without a platform package need Node: \`npm install -g @github/copilot@${version}\`.`,
    });
  }
  progress(`Downloading ${pkgName}@${version} from ${safeUrl(registry.url)} (${registry.source})`);
  const tarball = await fetchTarball(registry, entry.dist.tarball);
  const integrity = verifyIntegrity(tarball, entry.dist);
  if (!integrity.ok) {
    throw new UserError(
      `${pkgName}@${version} does not match the registry's integrity hash; nothing was installed`,
      {
        details: [`expected ${integrity.expected}`, `got      ${integrity.actual}`],
        hint: "The download was corrupted or altered on the way: try again, or use another registry (--registry).",
      },
    );
  }
  progress(
    `Verified ${integrity.expected.slice(0, 20)}…; extracting ${(tarball.length / 1e6).toFixed(0)} MB`,
  );

  const base = copilotsDir(cache);
  mkdirSync(base, { recursive: true });
  const staging = join(base, `.install-${process.pid}-${Date.now()}`);
  try {
    await new Bun.Archive(tarball).extract(staging);
    const extracted = join(staging, "package");
    const executable = executableOf(extracted, pkgName);
    // As npm does for a package's bin: whatever mode the tarball recorded, it must be executable.
    if (!platform.startsWith("win32")) chmodSync(join(extracted, executable), 0o755);
    const record: InstallRecord = {
      format_version: 1,
      package: pkgName,
      version,
      platform,
      executable,
      integrity: integrity.expected,
      tarball: safeUrl(entry.dist.tarball),
      registry: safeUrl(registry.url),
      installed_at: new Date().toISOString(),
    };
    const runs = runsHere ? await checkRuns(join(extracted, executable), opts.env) : undefined;
    writeJsonAtomic(join(extracted, INSTALL_RECORD), record);
    mkdirSync(join(base, version), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(extracted, dir);
    if (opts.makeDefault) writeDefault(cache, record);
    return {
      ...record,
      path: join(dir, executable),
      dir,
      cache,
      alreadyInstalled: false,
      isDefault: opts.makeDefault,
      runs,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function detectHostPlatform(): CopilotPlatform | undefined {
  try {
    return detectCopilotPlatform();
  } catch {
    return undefined;
  }
}

/** The executable the package's `bin` names (`{"copilot-linux-x64": "copilot"}`). */
function executableOf(extracted: string, pkgName: string): string {
  let bin: unknown;
  try {
    bin = (JSON.parse(readFileSync(join(extracted, "package.json"), "utf8")) as { bin?: unknown }).bin;
  } catch {
    bin = undefined;
  }
  const named =
    typeof bin === "string" ? bin : bin && typeof bin === "object" ? Object.values(bin)[0] : undefined;
  const candidates = [named, "copilot", "copilot.exe"].filter((c): c is string => typeof c === "string");
  const found = candidates.find((c) => existsSync(join(extracted, c)));
  if (!found) throw new UserError(`${pkgName} holds no copilot executable (its package.json names none)`);
  return found.replace(/^\.\//, "");
}

/**
 * Run it the way trials will and return the version it runs. Loaders before the 1.0 generation
 * run the newest runtime under ~/.copilot/pkg even with --no-auto-update, so the answer can
 * differ from the version installed; the caller warns about that (docs/compatibility.md).
 */
async function checkRuns(path: string, env: Record<string, string | undefined>): Promise<string> {
  return (await probeCopilot(path, env, { isolate: true })).version;
}
