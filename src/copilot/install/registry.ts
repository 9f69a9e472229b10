import { z } from "zod";
import { UserError } from "../../errors.ts";
import type { RegistryConfig } from "./npm-config.ts";

/** Reading package metadata and tarballs from an npm registry (the abbreviated "corgi" documents). */

const PackumentSchema = z.object({
  name: z.string(),
  "dist-tags": z.record(z.string(), z.string()).default({}),
  /** Publication dates by version (not every registry sends them in the abbreviated document). */
  time: z.record(z.string(), z.string()).optional(),
  versions: z.record(
    z.string(),
    z.object({
      version: z.string(),
      dist: z.object({
        tarball: z.string(),
        integrity: z.string().optional(),
        shasum: z.string().optional(),
      }),
    }),
  ),
});
export type Packument = z.infer<typeof PackumentSchema>;

/** A URL without user:password, for messages and records. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

function headers(registry: RegistryConfig, url: string, accept: string): Record<string, string> {
  const h: Record<string, string> = { accept };
  // npm sends the token only to the registry it belongs to.
  if (registry.token && url.startsWith(registry.url)) h.authorization = `Bearer ${registry.token}`;
  return h;
}

async function get(registry: RegistryConfig, url: string, accept: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers: headers(registry, url, accept) });
  } catch (err) {
    throw new UserError(
      `could not reach the npm registry ${safeUrl(registry.url)}: ${(err as Error).message}`,
      {
        hint: `The registry came from ${registry.source}. Check the network, or point --registry / npm_config_registry at a mirror.`,
      },
    );
  }
  return res;
}

export async function fetchPackument(registry: RegistryConfig, name: string): Promise<Packument> {
  const url = `${registry.url}/${name.replace("/", "%2f")}`;
  const res = await get(registry, url, "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8");
  if (res.status === 404) {
    throw new UserError(`the npm registry ${safeUrl(registry.url)} has no package ${name}`, {
      hint: `The registry came from ${registry.source}; a mirror must proxy the @github scope.`,
    });
  }
  if (!res.ok) {
    throw new UserError(`the npm registry answered ${res.status} for ${name} (${safeUrl(url)})`, {
      hint:
        res.status === 401 || res.status === 403
          ? "The registry wants credentials: add `//HOST/:_authToken=…` for it to ~/.npmrc."
          : "Try again later, or use another registry (--registry).",
    });
  }
  const parsed = PackumentSchema.safeParse(await res.json());
  if (!parsed.success) {
    throw new UserError(`the npm registry sent unreadable metadata for ${name} (${safeUrl(url)})`);
  }
  return parsed.data;
}

/**
 * Check `bytes` against the registry's integrity string (`sha512-<base64>`, possibly several,
 * space-separated); registries that only give a sha1 `shasum` are checked against that.
 */
export function verifyIntegrity(
  bytes: Uint8Array,
  dist: { integrity?: string; shasum?: string },
): { ok: boolean; expected: string; actual: string } {
  const entries = (dist.integrity ?? "").split(/\s+/).filter(Boolean);
  const strongest =
    entries.find((e) => e.startsWith("sha512-")) ??
    entries.find((e) => e.startsWith("sha384-")) ??
    entries.find((e) => e.startsWith("sha256-"));
  if (strongest) {
    const algorithm = strongest.slice(0, strongest.indexOf("-")) as "sha512" | "sha384" | "sha256";
    const actual = `${algorithm}-${new Bun.CryptoHasher(algorithm).update(bytes).digest("base64")}`;
    return { ok: actual === strongest, expected: strongest, actual };
  }
  if (dist.shasum) {
    const actual = new Bun.CryptoHasher("sha1").update(bytes).digest("hex");
    return {
      ok: actual === dist.shasum.toLowerCase(),
      expected: `sha1 ${dist.shasum}`,
      actual: `sha1 ${actual}`,
    };
  }
  return { ok: false, expected: "(the registry gave no integrity hash)", actual: "" };
}

export async function fetchTarball(registry: RegistryConfig, url: string): Promise<Uint8Array> {
  const res = await get(registry, url, "application/octet-stream");
  if (!res.ok) {
    throw new UserError(`downloading ${safeUrl(url)} failed: HTTP ${res.status}`, {
      hint: "Try again, or use another registry (--registry).",
    });
  }
  return new Uint8Array(await res.arrayBuffer());
}
