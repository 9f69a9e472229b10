import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  closeSync,
  cpSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { RELEASE_TARGETS, releaseFileName } from "../../scripts/_release-targets.ts";
import { PROJECT_ROOT, runBinary, runCommand } from "../helpers/cli.ts";
import { removeCreated, tempDir } from "../helpers/tmp.ts";

// Real processes (the compiled binaries, sh, sha256sum): a minute per test unless it says otherwise.
setDefaultTimeout(60_000);
// Hundreds of MB of temporary files: removed when this file is done, not at the end of the suite.
afterAll(removeCreated, 120_000);

/**
 * `bun run release` is run once for this file (all seven targets, compiled a few at once, into a
 * temporary folder); every test reads that release. Measured here: ~45 s on 2 busy cores.
 */
let release: string;
let expectedCommit: string;

async function git(args: string[]): Promise<string> {
  const r = await runCommand(["git", ...args], { cwd: PROJECT_ROOT });
  return r.stdout.trim();
}

beforeAll(async () => {
  const head = await git(["rev-parse", "--short=12", "HEAD"]);
  const dirty = (await git(["status", "--porcelain", "--untracked-files=no"])) !== "";
  expectedCommit = `${head}${dirty ? "+dirty" : ""}`;
  release = join(tempDir("cx-release-"), "release");
  // As the release workflow runs it, from a tag of this version.
  const r = await runCommand(
    [process.execPath, "run", "release", "--out", release, "--tag", `v${pkg.version}`],
    {
      cwd: PROJECT_ROOT,
    },
  );
  if (r.code !== 0) throw new Error(`bun run release failed (exit ${r.code}):\n${r.stderr}`);
}, 300_000);

const fileOf = (name: string) => releaseFileName(pkg.version, RELEASE_TARGETS.find((t) => t.name === name)!);

/** What the file's header says it is: format, CPU, and (ELF) the program interpreter. */
function describeExecutable(path: string): { format: string; cpu: string; interp?: string } {
  // The headers (and an ELF's program interpreter) are within the first 64 KiB.
  const bytes = Buffer.alloc(65536);
  const fd = openSync(path, "r");
  readSync(fd, bytes, 0, bytes.length, 0);
  closeSync(fd);
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine = bytes.readUInt16LE(18);
    // Program headers: find PT_INTERP (type 3) and read the loader path it names.
    const phoff = Number(bytes.readBigUInt64LE(32));
    const phentsize = bytes.readUInt16LE(54);
    const phnum = bytes.readUInt16LE(56);
    let interp: string | undefined;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (bytes.readUInt32LE(at) !== 3) continue;
      const offset = Number(bytes.readBigUInt64LE(at + 8));
      const size = Number(bytes.readBigUInt64LE(at + 32));
      interp = bytes.subarray(offset, offset + size - 1).toString();
    }
    return {
      format: "elf",
      cpu: machine === 62 ? "x64" : machine === 183 ? "arm64" : `machine ${machine}`,
      interp,
    };
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return { format: "macho", cpu: cpu === 0x01000007 ? "x64" : cpu === 0x0100000c ? "arm64" : `cpu ${cpu}` };
  }
  if (bytes.toString("latin1", 0, 2) === "MZ") {
    const pe = bytes.readUInt32LE(0x3c);
    const machine = bytes.readUInt16LE(pe + 4);
    return { format: "pe", cpu: machine === 0x8664 ? "x64" : `machine ${machine}` };
  }
  return { format: "unknown", cpu: "unknown" };
}

describe("bun run release", () => {
  test("a tag that is not package.json's version is refused before anything is built", async () => {
    const out = join(tempDir("cx-release-tag-"), "release");
    const r = await runCommand([process.execPath, "run", "release", "--out", out, "--tag", "v9.9.9"], {
      cwd: PROJECT_ROOT,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the tag v9.9.9 is not package.json's version ${pkg.version}`);
    expect(existsSync(out)).toBe(false);
  });

  test("builds seven binaries and a SHA256SUMS that sha256sum -c accepts", async () => {
    const sums = readFileSync(join(release, "SHA256SUMS"), "utf8").trim().split("\n");
    expect(sums.map((l) => l.split("  ")[1]).sort()).toEqual(
      RELEASE_TARGETS.map((t) => fileOf(t.name)).sort(),
    );
    expect(readdirSync(release).sort()).toEqual(
      [...RELEASE_TARGETS.map((t) => fileOf(t.name)), "SHA256SUMS", "install.sh"].sort(),
    );
    const check = await runCommand(["sha256sum", "-c", "SHA256SUMS"], { cwd: release });
    expect(check.code).toBe(0);
    expect(check.stdout.trim().split("\n")).toEqual(sums.map((l) => `${l.split("  ")[1]}: OK`));
  });

  test("each file is an executable for the platform its name says", () => {
    const expected: Record<string, { format: string; cpu: string; musl?: boolean }> = {
      "linux-x64": { format: "elf", cpu: "x64", musl: false },
      "linux-arm64": { format: "elf", cpu: "arm64", musl: false },
      "linux-x64-musl": { format: "elf", cpu: "x64", musl: true },
      "linux-arm64-musl": { format: "elf", cpu: "arm64", musl: true },
      "darwin-x64": { format: "macho", cpu: "x64" },
      "darwin-arm64": { format: "macho", cpu: "arm64" },
      "windows-x64": { format: "pe", cpu: "x64" },
    };
    for (const target of RELEASE_TARGETS) {
      const seen = describeExecutable(join(release, fileOf(target.name)));
      const want = expected[target.name]!;
      expect({ target: target.name, format: seen.format, cpu: seen.cpu }).toEqual({
        target: target.name,
        format: want.format,
        cpu: want.cpu,
      });
      if (want.musl !== undefined) expect(seen.interp?.includes("musl")).toBe(want.musl);
    }
  });

  test("the linux-x64 binary prints version and commit, and runs init, check and run --dry-run from an empty folder", async () => {
    if (process.platform !== "linux" || process.arch !== "x64") {
      console.warn("skipped: this machine cannot run the linux-x64 binary");
      return;
    }
    const dir = tempDir("cx-release-run-");
    const binary = join(dir, "copilot-experiments");
    cpSync(join(release, fileOf("linux-x64")), binary);
    const env = { PATH: "/usr/bin:/bin" }; // git and a shell; no Bun, no Node

    const version = await runBinary(["--version"], { cwd: dir, binary, env });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(`${pkg.version} (${expectedCommit})`);

    const init = await runBinary(["init", "lab"], { cwd: dir, binary, env });
    expect(init.code).toBe(0);
    const lab = join(dir, "lab");
    const check = await runBinary(["check"], { cwd: lab, binary, env });
    expect(check.code).toBe(0);
    const dry = await runBinary(["run", "--dry-run"], { cwd: lab, binary, env });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain("checks passed");
    expect(existsSync(join(lab, "results", "index.db"))).toBe(false);
  });
});

describe("scripts/install.sh", () => {
  const install = (args: string[], env: Record<string, string> = {}) =>
    runCommand(["sh", join(PROJECT_ROOT, "scripts/install.sh"), ...args], {
      env: { HOME: tempDir("cx-home-"), ...env },
    });

  test("installs the binary for this machine from a file:// base URL into --prefix, verified", async () => {
    if (process.platform !== "linux" || process.arch !== "x64") {
      console.warn("skipped: the installer test runs the installed linux-x64 binary");
      return;
    }
    const prefix = join(tempDir("cx-prefix-"), "bin");
    const r = await install(["--base-url", `file://${release}`, "--prefix", prefix]);
    expect(r.code).toBe(0);
    expect(readdirSync(prefix)).toEqual(["copilot-experiments"]);
    const installed = join(prefix, "copilot-experiments");
    // glibc here: the detected target is linux-x64, byte for byte the released file.
    expect(Bun.hash(readFileSync(installed))).toBe(
      Bun.hash(readFileSync(join(release, fileOf("linux-x64")))),
    );
    expect(r.stderr).toContain(`Installed ${installed}: ${pkg.version} (${expectedCommit})`);
    expect(r.stderr).toContain(`export PATH="${prefix}:$PATH"`);
    const run = await runBinary(["--version"], { binary: installed });
    expect(run.stdout.trim()).toBe(`${pkg.version} (${expectedCommit})`);
  });

  test("--target and --version pick the named file; the release build's copy works the same", async () => {
    const prefix = tempDir("cx-prefix-");
    const r = await runCommand([
      "sh",
      join(release, "install.sh"),
      "--base-url",
      `file://${release}/`,
      "--prefix",
      prefix,
      "--target",
      "windows-x64",
      "--version",
      `v${pkg.version}`,
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(prefix)).toEqual(["copilot-experiments.exe"]);
    expect(Bun.hash(readFileSync(join(prefix, "copilot-experiments.exe")))).toBe(
      Bun.hash(readFileSync(join(release, fileOf("windows-x64")))),
    );
  });

  test("a checksum mismatch installs nothing and says so", async () => {
    const mirror = tempDir("cx-mirror-");
    const file = fileOf("linux-arm64");
    cpSync(join(release, "SHA256SUMS"), join(mirror, "SHA256SUMS"));
    writeFileSync(join(mirror, file), "not the binary");
    const prefix = join(tempDir("cx-prefix-"), "bin");
    const r = await install([
      "--base-url",
      `file://${mirror}`,
      "--prefix",
      prefix,
      "--target",
      "linux-arm64",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`checksum mismatch for ${file}`);
    expect(r.stderr).toContain("nothing was installed");
    expect(existsSync(prefix)).toBe(false);
  });

  test("a version the release does not hold, an unknown target and a bad option are clear errors", async () => {
    const prefix = tempDir("cx-prefix-");
    const base = ["--base-url", `file://${release}`, "--prefix", prefix, "--target", "linux-x64"];
    const wrong = await install([...base, "--version", "9.9.9"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`holds ${fileOf("linux-x64")}, not version 9.9.9`);
    const target = await install([
      "--base-url",
      `file://${release}`,
      "--prefix",
      prefix,
      "--target",
      "freebsd-x64",
    ]);
    expect(target.code).toBe(1);
    expect(target.stderr).toContain("has no binary for freebsd-x64");
    const option = await install(["--prefx", prefix]);
    expect(option.code).toBe(1);
    expect(option.stderr).toContain("unknown option: --prefx");
    expect(readdirSync(prefix)).toEqual([]);
  });

  test("is POSIX sh (shellcheck -s sh finds nothing)", async () => {
    if (!Bun.which("shellcheck")) {
      console.warn("skipped: shellcheck is not installed (apt-get install shellcheck)");
      return;
    }
    const r = await runCommand(["shellcheck", "-s", "sh", join(PROJECT_ROOT, "scripts/install.sh")]);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
  });
});
