import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { nerfDart, parseNpmrc, resolveRegistry } from "../../../src/copilot/install/npm-config.ts";
import { verifyIntegrity } from "../../../src/copilot/install/registry.ts";
import { UserError } from "../../../src/errors.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

describe(".npmrc", () => {
  test("key=value lines; comments, blanks and quotes; ${VAR} from the environment", () => {
    const entries = parseNpmrc(
      [
        "# a comment",
        "; another",
        "",
        "registry = https://npm.example.com/",
        '@github:registry="https://mirror.example.com/npm/"',
        "//mirror.example.com/npm/:_authToken=${MIRROR_TOKEN}",
        "not a setting",
      ].join("\n"),
      { MIRROR_TOKEN: "s3cret" },
    );
    expect([...entries]).toEqual([
      ["registry", "https://npm.example.com/"],
      ["@github:registry", "https://mirror.example.com/npm/"],
      ["//mirror.example.com/npm/:_authToken", "s3cret"],
    ]);
  });

  test("nerf darts drop the protocol and keep the path", () => {
    expect(nerfDart("https://mirror.example.com/npm")).toBe("//mirror.example.com/npm/");
    expect(nerfDart("http://localhost:4873/")).toBe("//localhost:4873/");
  });
});

describe("which registry", () => {
  // A HOME and a root with no .npmrc, and no npm on PATH: only what a test sets counts.
  function setup(files: Record<string, string> = {}) {
    const home = tempDir("cx-npm-home-");
    const root = tempDir("cx-npm-root-");
    for (const [rel, text] of Object.entries(files)) {
      const [where, ...rest] = rel.split("/");
      writeTree(where === "home" ? home : root, { [rest.join("/")]: text });
    }
    return { root, env: { HOME: home, PATH: tempDir("cx-empty-path-") } as Record<string, string> };
  }

  test("--registry wins over everything", async () => {
    const { root, env } = setup({ "root/.npmrc": "@github:registry=https://scoped.example.com/" });
    const r = await resolveRegistry({ flag: "https://flag.example.com/", root, env });
    expect(r).toMatchObject({ url: "https://flag.example.com", source: "--registry" });
  });

  test("a scoped @github:registry in any file beats a plain registry in the environment", async () => {
    const { root, env } = setup({ "home/.npmrc": "@github:registry=https://scoped.example.com/" });
    const r = await resolveRegistry({
      root,
      env: { ...env, npm_config_registry: "https://env.example.com/" },
    });
    expect(r.url).toBe("https://scoped.example.com");
    expect(r.source).toContain("(@github:registry)");
  });

  test("npm_config_registry beats the project's and the user's .npmrc; the project's beats the user's", async () => {
    const { root, env } = setup({
      "root/.npmrc": "registry=https://project.example.com/",
      "home/.npmrc": "registry=https://user.example.com/",
    });
    expect(
      (await resolveRegistry({ root, env: { ...env, npm_config_registry: "https://env.example.com" } })).url,
    ).toBe("https://env.example.com");
    const fromFiles = await resolveRegistry({ root, env });
    expect(fromFiles).toMatchObject({ url: "https://project.example.com", source: join(root, ".npmrc") });
  });

  test("the auth token whose registry key is the longest prefix of the registry URL", async () => {
    const { root, env } = setup({
      "home/.npmrc": [
        "registry=https://mirror.example.com/npm/",
        "//mirror.example.com/:_authToken=host-wide",
        "//mirror.example.com/npm/:_authToken=${NPM_TOKEN}",
        "//other.example.com/npm/:_authToken=other",
      ].join("\n"),
    });
    const r = await resolveRegistry({ root, env: { ...env, NPM_TOKEN: "path-specific" } });
    expect(r.token).toBe("path-specific");
  });

  test("nothing configured and no npm to ask: a clear error, exit 2", async () => {
    const { root, env } = setup();
    const err = await resolveRegistry({ root, env }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe("no npm registry is configured");
    expect(err.hint).toContain("--registry");
    expect(err.exitCode).toBe(2);
  });

  test("a registry that is not an http(s) URL names where it came from", async () => {
    const { root, env } = setup();
    const err = await resolveRegistry({ root, env: { ...env, npm_config_registry: "ftp://x" } }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain("from npm_config_registry is not an http(s) URL");
  });
});

describe("integrity", () => {
  const abc = new TextEncoder().encode("abc");
  // The FIPS 180-2 test vectors for "abc", base64 (sha512) and hex (sha1).
  const SHA512_ABC =
    "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==";

  test("sha512 integrity strings match the standard vector; one changed byte does not", () => {
    expect(verifyIntegrity(abc, { integrity: SHA512_ABC }).ok).toBe(true);
    expect(verifyIntegrity(new TextEncoder().encode("abd"), { integrity: SHA512_ABC }).ok).toBe(false);
  });

  test("several hashes: the strongest one decides", () => {
    const result = verifyIntegrity(abc, { integrity: `sha1-AAAA ${SHA512_ABC}` });
    expect(result).toMatchObject({ ok: true, expected: SHA512_ABC });
  });

  test("only a sha1 shasum: checked against that; nothing at all: refused", () => {
    expect(verifyIntegrity(abc, { shasum: "a9993e364706816aba3e25717850c26c9cd0d89d" }).ok).toBe(true);
    expect(verifyIntegrity(abc, { shasum: "0000000000000000000000000000000000000000" }).ok).toBe(false);
    expect(verifyIntegrity(abc, {}).ok).toBe(false);
  });
});
