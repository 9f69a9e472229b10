import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { resolveCopilotBinary } from "../../../src/copilot/binary.ts";
import { cacheRoot, defaultCopilot } from "../../../src/copilot/install/cache.ts";
import { installCopilot } from "../../../src/copilot/install/install.ts";
import { detectCopilotPlatform } from "../../../src/copilot/install/platform.ts";
import { UserError } from "../../../src/errors.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

/**
 * install-copilot against a registry on 127.0.0.1 that serves npm's abbreviated metadata and
 * gzipped tarballs: the failure modes the real registry cannot show (a tampered tarball, a
 * missing version, a registry that wants a token). Its package holds a small shell stand-in for
 * the CLI; test/e2e/install-copilot.test.ts installs the real one from the real registry.
 */

const TOKEN = "registry-token-7e57";
const platform = detectCopilotPlatform();
const CLI = (version: string) => `#!/bin/sh
case "$1" in
  --version) echo "GitHub Copilot CLI ${version}."; exit 0 ;;
  --help) echo "Usage: copilot"; echo "  --help"; exit 0 ;;
  help) echo "COPILOT_PROVIDER_BASE_URL"; exit 0 ;;
esac
exit 1
`;

async function tarball(version: string): Promise<Uint8Array> {
  const archive = new Bun.Archive(
    {
      "package/package.json": JSON.stringify({
        name: `@github/copilot-${platform}`,
        version,
        bin: { x: "copilot" },
      }),
      "package/copilot": CLI(version),
    },
    { compress: "gzip" },
  );
  return await archive.bytes();
}

const sha512 = (bytes: Uint8Array) =>
  `sha512-${new Bun.CryptoHasher("sha512").update(bytes).digest("base64")}`;

let server: ReturnType<typeof Bun.serve>;
const tarballs = new Map<string, Uint8Array>();
const served: string[] = [];
let tamper = false;

beforeAll(async () => {
  for (const v of ["9.8.6", "9.8.7"]) tarballs.set(v, await tarball(v));
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const url = new URL(req.url);
      served.push(url.pathname);
      if (req.headers.get("authorization") !== `Bearer ${TOKEN}`)
        return new Response("auth", { status: 401 });
      const base = `http://127.0.0.1:${server.port}/npm`;
      if (url.pathname === "/npm/@github%2fcopilot") {
        return Response.json({ name: "@github/copilot", "dist-tags": { latest: "9.8.7" }, versions: {} });
      }
      if (url.pathname === `/npm/@github%2fcopilot-${platform}`) {
        const versions = Object.fromEntries(
          [...tarballs].map(([v, bytes]) => [
            v,
            { version: v, dist: { tarball: `${base}/t/${v}.tgz`, integrity: sha512(bytes) } },
          ]),
        );
        return Response.json({ name: `@github/copilot-${platform}`, "dist-tags": {}, versions });
      }
      const t = /^\/npm\/t\/(.+)\.tgz$/.exec(url.pathname);
      if (t && tarballs.has(t[1]!)) {
        const bytes = tarballs.get(t[1]!)!;
        return new Response(tamper ? bytes.map((b, i) => (i === 100 ? b ^ 1 : b)) : bytes);
      }
      return new Response("not found", { status: 404 });
    },
  });
});
afterAll(() => server.stop(true));

function setup() {
  const home = writeTree(tempDir("cx-install-home-"), {
    ".npmrc": `//127.0.0.1:${server.port}/npm/:_authToken=\${REG_TOKEN}\n`,
  });
  const env: Record<string, string> = {
    HOME: home,
    PATH: process.env.PATH ?? "",
    COPILOT_EXPERIMENTS_CACHE: join(tempDir("cx-install-cache-"), "cache"),
    REG_TOKEN: TOKEN,
  };
  return { env, registry: `http://127.0.0.1:${server.port}/npm/`, root: tempDir("cx-install-root-") };
}

describe("install-copilot", () => {
  test("a dist-tag installs that version, verified, extracted, runnable, and the default for runs", async () => {
    const { env, registry, root } = setup();
    const result = await installCopilot({
      version: "latest",
      registry,
      root,
      env,
      makeDefault: true,
      force: false,
    });
    expect(result).toMatchObject({
      version: "9.8.7",
      platform,
      alreadyInstalled: false,
      isDefault: true,
      runs: "9.8.7",
    });
    expect(result.integrity).toBe(sha512(tarballs.get("9.8.7")!));
    expect(result.path).toBe(join(cacheRoot(env), "copilot", "9.8.7", platform, "copilot"));
    // The shell script in the tarball carried no mode bits: installed, it runs.
    expect(Bun.spawnSync([result.path, "--version"]).stdout.toString()).toContain("9.8.7");
    expect(resolveCopilotBinary({ env, root })).toEqual({ path: result.path, source: "install-copilot" });
    // --copilot and $COPILOT_BIN still come first.
    expect(resolveCopilotBinary({ env: { ...env, COPILOT_BIN: "/bin/sh" }, root }).source).toBe(
      "$COPILOT_BIN",
    );
  });

  test("installed already: no second download; --no-default keeps the current default", async () => {
    const { env, registry, root } = setup();
    await installCopilot({ version: "9.8.7", registry, root, env, makeDefault: true, force: false });
    served.length = 0;
    const again = await installCopilot({
      version: "9.8.7",
      registry,
      root,
      env,
      makeDefault: true,
      force: false,
    });
    expect(again.alreadyInstalled).toBe(true);
    expect(served.filter((p) => p.endsWith(".tgz"))).toEqual([]);
    const other = await installCopilot({
      version: "9.8.6",
      registry,
      root,
      env,
      makeDefault: false,
      force: false,
    });
    expect(other.isDefault).toBe(false);
    expect(defaultCopilot(env)?.version).toBe("9.8.7");
  });

  test("a tarball that does not match the registry's integrity installs nothing", async () => {
    const { env, registry, root } = setup();
    tamper = true;
    try {
      const err = await installCopilot({
        version: "9.8.7",
        registry,
        root,
        env,
        makeDefault: true,
        force: false,
      }).catch((e) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toContain("does not match the registry's integrity hash; nothing was installed");
      expect(err.details[0]).toBe(`expected ${sha512(tarballs.get("9.8.7")!)}`);
    } finally {
      tamper = false;
    }
    const copilots = join(cacheRoot(env), "copilot");
    expect(existsSync(copilots) ? readdirSync(copilots) : []).toEqual([]);
    expect(defaultCopilot(env)).toBeUndefined();
  });

  test("a version the registry lacks names the nearby ones; a registry without the token says how to add one", async () => {
    const { env, registry, root } = setup();
    const missing = await installCopilot({
      version: "9.8.8",
      registry,
      root,
      env,
      makeDefault: true,
      force: false,
    }).catch((e) => e);
    expect(missing.message).toBe(`the npm registry has no @github/copilot-${platform}@9.8.8`);
    expect(missing.hint).toContain("Nearby versions: 9.8.6, 9.8.7");
    const noToken = await installCopilot({
      version: "9.8.7",
      registry,
      root,
      env: { ...env, REG_TOKEN: "" },
      makeDefault: true,
      force: false,
    }).catch((e) => e);
    expect(noToken.message).toContain("answered 401");
    expect(noToken.hint).toContain("_authToken");
  });

  test("a default whose files are gone is an error, not a fall-through to another CLI", async () => {
    const { env, registry, root } = setup();
    const result = await installCopilot({
      version: "9.8.7",
      registry,
      root,
      env,
      makeDefault: true,
      force: false,
    });
    rmSync(result.dir, { recursive: true });
    expect(() => resolveCopilotBinary({ env, root })).toThrow("the default Copilot CLI 9.8.7");
  });
});
