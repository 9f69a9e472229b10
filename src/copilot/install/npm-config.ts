import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../errors.ts";
import { spawnChild } from "../../process/children.ts";

/**
 * Which npm registry to fetch `@github/…` packages from, found the way npm finds it (README
 * "Install"): `--registry`; else a scoped `@github:registry` (environment, then `.npmrc` files:
 * the experiment root's, the user's, the global one); else `registry` in the same order; else —
 * when npm is installed — what `npm config get` answers. No registry is built in.
 */

export interface RegistryConfig {
  /** Base URL without a trailing slash. */
  url: string;
  /** Where it came from, for messages: `--registry`, `npm_config_registry`, `~/.npmrc` … */
  source: string;
  /** `_authToken` for this registry from an .npmrc (never printed). */
  token?: string;
}

type Env = Record<string, string | undefined>;

/** `key=value` lines of an .npmrc, `${VAR}` expanded from env; comments and blanks skipped. */
export function parseNpmrc(text: string, env: Env): Map<string, string> {
  const entries = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1);
    value = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? "");
    entries.set(key, value);
  }
  return entries;
}

/** The .npmrc files npm reads, most specific first, that exist. */
function npmrcFiles(root: string, env: Env): { path: string; label: string }[] {
  const user =
    env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? join(env.HOME ?? homedir(), ".npmrc");
  const files = [
    { path: join(root, ".npmrc"), label: join(root, ".npmrc") },
    { path: user, label: user },
  ];
  const global = env.npm_config_globalconfig ?? env.NPM_CONFIG_GLOBALCONFIG;
  if (global) files.push({ path: global, label: global });
  return files.filter((f) => existsSync(f.path));
}

/** `//host/path/` of a URL: the key npm uses for per-registry settings such as `_authToken`. */
export function nerfDart(url: string): string {
  const u = new URL(url);
  const path = u.pathname.endsWith("/") ? u.pathname : `${u.pathname}/`;
  return `//${u.host}${path}`;
}

/** The `_authToken` whose registry key is the longest prefix of `url` (npm's rule). */
function authTokenFor(url: string, settings: Map<string, string>[]): string | undefined {
  const target = nerfDart(url);
  let best: { key: string; token: string } | undefined;
  for (const entries of settings) {
    for (const [key, value] of entries) {
      if (!key.endsWith(":_authToken")) continue;
      const prefix = key.slice(0, -":_authToken".length);
      const normalized = prefix.endsWith("/") ? prefix : `${prefix}/`;
      if (target.startsWith(normalized) && (!best || normalized.length > best.key.length)) {
        best = { key: normalized, token: value };
      }
    }
  }
  return best?.token || undefined;
}

function normalizeUrl(value: string, source: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("not http(s)");
    return url.toString().replace(/\/+$/, "");
  } catch {
    throw new UserError(`the npm registry from ${source} is not an http(s) URL: ${JSON.stringify(value)}`, {
      hint: "Set it to the registry's base URL, e.g. `registry=https://npm.example.com/` in .npmrc, or pass --registry URL.",
    });
  }
}

async function askNpm(key: string, env: Env): Promise<string | undefined> {
  const npm = Bun.which("npm", { PATH: env.PATH ?? "" });
  if (!npm) return undefined;
  const proc = spawnChild([npm, "config", "get", key], {
    env: env as Record<string, string>,
    stdout: "pipe",
    stderr: "ignore",
    stdin: "ignore",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  clearTimeout(timer);
  const value = out.trim();
  return code === 0 && value && value !== "undefined" ? value : undefined;
}

/** The registry for the `@github` scope, with its auth token when an .npmrc holds one. */
export async function resolveRegistry(opts: {
  flag?: string;
  root: string;
  env: Env;
}): Promise<RegistryConfig> {
  const { env } = opts;
  const files = npmrcFiles(opts.root, env).map((f) => ({
    ...f,
    entries: parseNpmrc(readFileSync(f.path, "utf8"), env),
  }));
  const settings = files.map((f) => f.entries);
  // A scoped `@github:registry` wins over `registry` wherever it is set (as in npm); an
  // explicit --registry wins over both.
  const candidates: [string | undefined, string][] = [
    [opts.flag, "--registry"],
    [env["npm_config_@github:registry"], "npm_config_@github:registry"],
    ...files.map((f): [string | undefined, string] => [
      f.entries.get("@github:registry"),
      `${f.label} (@github:registry)`,
    ]),
    [env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY, "npm_config_registry"],
    ...files.map((f): [string | undefined, string] => [f.entries.get("registry"), f.label]),
  ];
  for (const [value, source] of candidates) {
    if (!value) continue;
    const url = normalizeUrl(value, source);
    return { url, source, token: authTokenFor(url, settings) };
  }
  const fromNpm = (await askNpm("@github:registry", env)) ?? (await askNpm("registry", env));
  if (fromNpm) {
    const url = normalizeUrl(fromNpm, "`npm config get registry`");
    return { url, source: "npm config", token: authTokenFor(url, settings) };
  }
  throw new UserError("no npm registry is configured", {
    hint: "Pass --registry URL, set npm_config_registry, or add `registry=URL` to ~/.npmrc (npm itself is not installed here to ask).",
  });
}
