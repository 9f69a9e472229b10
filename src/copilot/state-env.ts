import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where a Copilot CLI process keeps its state, per trial. The CLI writes outside `COPILOT_HOME`
 * too (docs/hermetic-trials.md): its cache (`COPILOT_CACHE_HOME`: cached MCP tool lists and
 * more) is given per trial as well; only the extracted runtime (`<pkg cache>/pkg/<platform>/
 * <version>/`, ~235 MB, ~3.5 s to extract) is shared — it is keyed by version, and
 * `--no-auto-update` pins the version to the binary's own.
 */

type Env = Record<string, string | undefined>;

/** The CLI's own default cache folder (its rule for `COPILOT_CACHE_HOME`'s default). */
export function copilotDefaultCacheDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || homedir();
  if (platform === "darwin") return join(home, "Library", "Caches", "copilot");
  if (platform === "win32") return join(env.LOCALAPPDATA || join(home, ".cache"), "copilot");
  return join(env.XDG_CACHE_HOME || join(home, ".cache"), "copilot");
}

/** The folder whose `pkg/` holds extracted runtimes: the user's choice, else the CLI's default. */
export function runtimeCacheDir(env: Env): string {
  return env.COPILOT_PKG_CACHE_HOME || env.COPILOT_CACHE_HOME || copilotDefaultCacheDir(env);
}

/**
 * Variables that give a CLI process its own home and cache while sharing the extracted
 * runtime. `base` is the environment the process would otherwise get.
 */
export function isolatedStateEnv(base: Env, dirs: { home: string; cache: string }): Record<string, string> {
  return {
    COPILOT_HOME: dirs.home,
    COPILOT_CACHE_HOME: dirs.cache,
    COPILOT_PKG_CACHE_HOME: runtimeCacheDir(base),
  };
}

/**
 * Create a per-process cache folder whose `pkg` is the shared runtime cache's. Loaders before
 * `COPILOT_PKG_CACHE_HOME` existed (1.0.55 among them) extract under `COPILOT_CACHE_HOME/pkg`:
 * through the link they find — or extract once into — the shared runtime instead of extracting
 * it again for every trial.
 */
export function prepareCacheDir(cache: string, base: Env): void {
  const shared = join(runtimeCacheDir(base), "pkg");
  mkdirSync(shared, { recursive: true });
  mkdirSync(cache, { recursive: true });
  symlinkSync(shared, join(cache, "pkg"), process.platform === "win32" ? "junction" : "dir");
}

/** Run `fn` with a throwaway home and cache (what a trial gets), removed afterwards. */
export async function withIsolatedState<T>(
  base: Env,
  fn: (dirs: { home: string; cache: string }) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "cx-copilot-state-"));
  try {
    const dirs = { home: join(dir, "home"), cache: join(dir, "cache") };
    prepareCacheDir(dirs.cache, base);
    return await fn(dirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
