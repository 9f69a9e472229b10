import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { UserError } from "../../errors.ts";
import { writeJsonAtomic } from "../../store/atomic.ts";

/**
 * Where `install-copilot` keeps Copilot CLIs: `<cache>/copilot/<version>/<platform>/` holds the
 * extracted platform package and its `install.json`; `<cache>/copilot/default.json` names the
 * one runs use when no `--copilot` / `$COPILOT_BIN` is given (README "Install").
 */

type Env = Record<string, string | undefined>;

export const InstallRecordSchema = z.object({
  format_version: z.literal(1),
  package: z.string(),
  version: z.string(),
  platform: z.string(),
  /** The executable, relative to the install folder. */
  executable: z.string(),
  integrity: z.string(),
  tarball: z.string(),
  registry: z.string(),
  installed_at: z.string(),
});
export type InstallRecord = z.infer<typeof InstallRecordSchema>;

const DefaultSchema = z.object({ version: z.string(), platform: z.string() });

export const INSTALL_RECORD = "install.json";

/** `$COPILOT_EXPERIMENTS_CACHE`, else the platform's cache folder + `copilot-experiments`. */
export function cacheRoot(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (env.COPILOT_EXPERIMENTS_CACHE) return env.COPILOT_EXPERIMENTS_CACHE;
  const home = env.HOME || homedir();
  if (platform === "darwin") return join(home, "Library", "Caches", "copilot-experiments");
  if (platform === "win32")
    return join(env.LOCALAPPDATA || join(home, "AppData", "Local"), "copilot-experiments");
  return join(env.XDG_CACHE_HOME || join(home, ".cache"), "copilot-experiments");
}

export function copilotsDir(root: string): string {
  return join(root, "copilot");
}

export function installDir(root: string, version: string, platform: string): string {
  return join(copilotsDir(root), version, platform);
}

export function readInstallRecord(dir: string): InstallRecord | undefined {
  try {
    return InstallRecordSchema.parse(JSON.parse(readFileSync(join(dir, INSTALL_RECORD), "utf8")));
  } catch {
    return undefined;
  }
}

/** Every complete install in the cache (a folder with a valid install.json), oldest version first. */
export function listInstalled(root: string): InstallRecord[] {
  const base = copilotsDir(root);
  if (!existsSync(base)) return [];
  const records: InstallRecord[] = [];
  for (const version of readdirSync(base)) {
    if (version.startsWith(".") || version.endsWith(".json")) continue;
    const versionDir = join(base, version);
    let platforms: string[] = [];
    try {
      platforms = readdirSync(versionDir);
    } catch {
      continue;
    }
    for (const platform of platforms) {
      const record = readInstallRecord(join(versionDir, platform));
      if (record) records.push(record);
    }
  }
  return records.sort((a, b) => Bun.semver.order(a.version, b.version));
}

export function writeDefault(root: string, record: Pick<InstallRecord, "version" | "platform">): void {
  writeJsonAtomic(join(copilotsDir(root), "default.json"), {
    version: record.version,
    platform: record.platform,
  });
}

export interface DefaultCopilot {
  path: string;
  version: string;
  dir: string;
}

/**
 * The CLI `install-copilot` made the default, or undefined when there is none. A default whose
 * files are gone is an error rather than a silent fall-through to another CLI.
 */
export function defaultCopilot(env: Env): DefaultCopilot | undefined {
  const root = cacheRoot(env);
  const pointer = join(copilotsDir(root), "default.json");
  if (!existsSync(pointer)) return undefined;
  let chosen: z.infer<typeof DefaultSchema>;
  try {
    chosen = DefaultSchema.parse(JSON.parse(readFileSync(pointer, "utf8")));
  } catch {
    throw new UserError(`${pointer} is not a valid install-copilot default`, {
      hint: "Run `copilot-experiments install-copilot` again, or delete the file.",
    });
  }
  const dir = installDir(root, chosen.version, chosen.platform);
  const record = readInstallRecord(dir);
  const path = record ? join(dir, record.executable) : undefined;
  if (!record || !path || !existsSync(path)) {
    throw new UserError(
      `the default Copilot CLI ${chosen.version} (${chosen.platform}) is missing from ${dir}`,
      { hint: `Run \`copilot-experiments install-copilot ${chosen.version}\` again, or delete ${pointer}.` },
    );
  }
  return { path, version: record.version, dir };
}
