import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ArgsDef } from "citty";
import { parse } from "yaml";
import pkg from "../../../package.json" with { type: "json" };
import { commands } from "../../../src/cli/commands/index.ts";
import { PROJECT_ROOT } from "../../helpers/cli.ts";

/**
 * The workflows, the composite action and the Dockerfile cannot run here. What can be checked:
 * they parse, every command they call exists (a package.json script, a file under the
 * repository, a copilot-experiments command with the options it declares, an installer
 * option the installer handles), every action input is declared and documented, and every
 * copilot-experiments command they call is exercised by some test.
 */

const read = (rel: string) => readFileSync(join(PROJECT_ROOT, rel), "utf8");

/** External tools the scripts may call (present on GitHub's runners and in the images). */
const EXTERNAL = new Set([
  "gh",
  "sha256sum",
  "cat",
  "echo",
  "exit",
  "set",
  "read",
  "mkdir",
  "cp",
  "apt-get",
  "rm",
  "chmod",
  "true",
]);

interface Call {
  words: string[];
  where: string;
}

/** Simple commands of a shell script: continuation lines joined, split at ; && || | and newlines. */
function calls(script: string, where: string): Call[] {
  const joined = script.replace(/\\\n/g, " ");
  // Words of bash array literals (`args=(run --root …)`, `args+=(--shard …)`), for "${args[@]}".
  const arrays = [...joined.matchAll(/\b(\w+)\+?=\(([^)]*)\)/g)].flatMap((m) => words(m[2]!));
  const out: Call[] = [];
  for (const part of joined.split(/\n|;|&&|\|\||\|/)) {
    let w = words(part.replace(/^\s*[{}]\s*/, "").replace(/\bthen\b|\bdo\b/g, ""));
    while (w.length && /^\w+=/.test(w[0]!)) w = w.slice(1); // VAR=value prefixes
    if (
      w[0] === "[" ||
      w[0] === "case" ||
      w[0] === "esac" ||
      /^\w*\+?=\(/.test(part.trim()) ||
      w.length === 0
    )
      continue;
    if (/^v\[/.test(w[0]!) || w[0]!.endsWith(")")) continue; // case patterns
    if (/^[<>]/.test(w[0]!)) continue; // the redirection after a `{ …; }` group
    if (w.includes('"${args[@]}"') || w.includes("${args[@]}")) w = [w[0]!, ...arrays];
    out.push({ words: w, where });
  }
  return out;
}

function words(text: string): string[] {
  return [...text.matchAll(/"[^"]*"|'[^']*'|\S+/g)].map((m) => m[0]);
}

const unquote = (w: string) => w.replace(/^["']|["']$/g, "");

async function declaredFlags(name: string): Promise<Set<string>> {
  const cmd = await commands[name]!();
  const defs = (typeof cmd.args === "function" ? await cmd.args() : cmd.args) as ArgsDef;
  const flags = new Set<string>(["help"]);
  for (const [key, def] of Object.entries(defs ?? {})) {
    if (def.type === "positional") continue;
    flags.add(key);
    if (def.type === "boolean") flags.add(`no-${key}`);
  }
  return flags;
}

const installerFlags = new Set(
  [...read("scripts/install.sh").matchAll(/^\s+(--[\w-]+)\)/gm)].map((m) => m[1]!),
);

/** Check one call; returns problems (empty: fine). Records copilot-experiments commands used. */
async function check(call: Call, used: Set<string>): Promise<string[]> {
  const [cmd, ...rest] = call.words.map(unquote);
  const problems: string[] = [];
  const fileExists = (p: string) =>
    existsSync(join(PROJECT_ROOT, p.replace(/^\$ACTION_PATH\//, "").replace(/^\.\//, "")));
  if (cmd === "bun" && rest[0] === "run") {
    if (!(rest[1]! in pkg.scripts))
      problems.push(`${call.where}: \`bun run ${rest[1]}\` is not a package.json script`);
  } else if (cmd === "bun" && rest[0]?.endsWith(".ts")) {
    if (!fileExists(rest[0])) problems.push(`${call.where}: ${rest[0]} does not exist`);
  } else if (cmd === "bash" || cmd === "sh") {
    if (!fileExists(rest[0]!)) problems.push(`${call.where}: ${rest[0]} does not exist`);
    if (rest[0]!.endsWith("install.sh")) {
      for (const flag of rest.filter((w) => w.startsWith("--"))) {
        if (!installerFlags.has(flag)) problems.push(`${call.where}: install.sh has no ${flag}`);
      }
    }
  } else if (cmd === "copilot-experiments") {
    const sub = rest[0]!;
    if (!(sub in commands)) return [`${call.where}: copilot-experiments has no command ${sub}`];
    used.add(sub);
    const flags = await declaredFlags(sub);
    for (const flag of rest.filter((w) => w.startsWith("--")).map((w) => w.slice(2).split("=")[0]!)) {
      if (!flags.has(flag)) problems.push(`${call.where}: \`copilot-experiments ${sub}\` has no --${flag}`);
    }
  } else if (!EXTERNAL.has(cmd!)) {
    problems.push(`${call.where}: unknown command ${cmd}`);
  }
  return problems;
}

/** Options the action passes to the installer through `set -- …` lines. */
function setArgs(script: string): string[] {
  return [...script.matchAll(/set -- (.*)$/gm)]
    .flatMap((m) => words(m[1]!).map(unquote))
    .filter((w) => w.startsWith("--"));
}

describe("GitHub workflows", () => {
  const files = readdirSync(join(PROJECT_ROOT, ".github/workflows"));

  test("ci.yml runs .ci/run on pushes and pull requests; release.yml publishes on a version tag", () => {
    expect(files.sort()).toEqual(["ci.yml", "release.yml"]);
    const ci = parse(read(".github/workflows/ci.yml"));
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(JSON.stringify(ci.jobs)).toContain("bash .ci/run");
    const release = parse(read(".github/workflows/release.yml"));
    expect(release.on.push.tags).toEqual(["v*"]);
    const steps = release.jobs.release.steps.map((s: { run?: string }) => s.run ?? "");
    const order = ["bash .ci/run", "bun run release", "sha256sum -c SHA256SUMS", "gh release create"];
    const at = order.map((c) => steps.findIndex((s: string) => s.includes(c)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at); // tests before building before publishing
    expect(steps.find((s: string) => s.includes("gh release create"))).toContain("dist/release/*");
  });

  test("every command a workflow (and .ci/run) calls exists", async () => {
    const used = new Set<string>();
    const problems: string[] = [];
    for (const file of files) {
      const wf = parse(read(`.github/workflows/${file}`));
      for (const [name, job] of Object.entries(
        wf.jobs as Record<string, { steps: { run?: string; uses?: string }[] }>,
      )) {
        for (const step of job.steps) {
          if (step.uses) expect(step.uses).toMatch(/^actions\/[\w-]+@v\d+$/);
          if (step.run)
            for (const c of calls(step.run, `${file} ${name}`)) problems.push(...(await check(c, used)));
        }
      }
    }
    for (const line of read(".ci/run")
      .split("\n")
      .filter((l) => /^\s*bun run \w+/.test(l))) {
      for (const c of calls(line.replace(/\|\|.*$/, ""), ".ci/run")) problems.push(...(await check(c, used)));
    }
    expect(problems).toEqual([]);
  });
});

describe("action.yml", () => {
  const text = read("action.yml");
  const action = parse(text);
  const docs = read("docs/ci.md");

  test("is a composite action whose inputs are declared, described and documented in docs/ci.md", () => {
    expect(action.runs.using).toBe("composite");
    const declared = Object.keys(action.inputs);
    const referenced = [...new Set([...text.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]!))];
    expect(referenced.filter((r) => !declared.includes(r))).toEqual([]);
    expect(declared.filter((d) => !referenced.includes(d))).toEqual([]);
    for (const [name, input] of Object.entries(action.inputs as Record<string, { description?: string }>)) {
      expect({ name, described: !!input.description }).toEqual({ name, described: true });
      expect({ name, documented: docs.includes(`| \`${name}\` |`) }).toEqual({ name, documented: true });
    }
    for (const wanted of [
      "version",
      "install-copilot",
      "experiments",
      "shard",
      "junit",
      "fail-under",
      "baseline",
    ]) {
      expect(declared).toContain(wanted);
    }
  });

  test("every command it runs exists, with options its command declares; it uploads results and writes the summary", async () => {
    const used = new Set<string>();
    const problems: string[] = [];
    for (const [i, step] of (
      action.runs.steps as { run?: string; uses?: string; name: string }[]
    ).entries()) {
      if (step.uses) expect(step.uses).toMatch(/^actions\/[\w-]+@v\d+$/);
      if (!step.run) continue;
      for (const c of calls(step.run, `step ${i + 1} (${step.name})`)) {
        if (c.words.some((w) => w.includes("install.sh"))) c.words.push(...setArgs(step.run));
        problems.push(...(await check(c, used)));
      }
    }
    expect(problems).toEqual([]);
    expect([...used].sort()).toEqual(["compare", "doctor", "install-copilot", "run"]);
    expect(text).toContain("actions/upload-artifact@v4");
    expect(text).toContain("GITHUB_STEP_SUMMARY");
    expect(docs).toContain("uses: your-org/copilot-experiments@v");
  });
});

describe("Dockerfile", () => {
  const text = read("Dockerfile");

  test("the image is debian-slim with git, the release binary and the Copilot CLI, and no Node", async () => {
    const stages = text.split(/^FROM /m).slice(1);
    const final = stages.at(-1)!;
    expect(final.split("\n")[0]).toBe("debian:${DEBIAN_TAG}");
    expect(text).toMatch(/^ARG DEBIAN_TAG=bookworm-slim$/m);
    expect(final).toMatch(/apt-get install [^\n]*\bgit\b/);
    expect(final).not.toMatch(/node|npm|bun/i);
    expect(final).toContain("COPY --from=fetch /usr/local/bin/copilot-experiments");
    expect(final).toContain("COPY --from=fetch /opt/copilot-experiments");
    // Files it copies from the build context exist; commands it runs exist.
    for (const m of text.matchAll(/^COPY (?!--from)(\S+)/gm))
      expect(existsSync(join(PROJECT_ROOT, m[1]!))).toBe(true);
    const used = new Set<string>();
    const problems: string[] = [];
    // A file COPY'd into the image is checked at its source.
    const copied = new Map([...text.matchAll(/^COPY (?!--from)(\S+) (\S+)/gm)].map((m) => [m[2]!, m[1]!]));
    for (const m of text.matchAll(/^RUN ((?:.*\\\n)*.*)$/gm)) {
      for (const c of calls(m[1]!, "Dockerfile")) {
        c.words = c.words.map((w) => copied.get(unquote(w)) ?? w);
        if (c.words.some((w) => w.includes("install.sh"))) c.words.push(...setArgs(m[1]!));
        problems.push(...(await check(c, used)));
      }
    }
    expect(problems).toEqual([]);
    expect([...used]).toEqual(["install-copilot"]);
  });

  test("docs/ci.md documents it, in GitHub Actions (container:) and in a Kubernetes Indexed Job with --shard", () => {
    const docs = read("docs/ci.md");
    expect(docs).toContain("## A CI image");
    expect(docs).toContain("container: your-org/copilot-experiments:");
    expect(docs).toContain("completionMode: Indexed");
    expect(docs).toMatch(/--shard \$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/8/);
  });
});

describe("what CI calls is tested", () => {
  test("each copilot-experiments command the action and image use, and `bun run release`, is run by a test", () => {
    const tests = readdirSync(join(PROJECT_ROOT, "test"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".test.ts"))
      .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
      .join("\n");
    for (const cmd of ["run", "compare", "doctor", "install-copilot"]) {
      expect({ cmd, tested: tests.includes(`["${cmd}"`) }).toEqual({ cmd, tested: true });
    }
    expect(tests).toContain('"run", "release"');
    expect(tests).toContain('join(PROJECT_ROOT, "scripts/install.sh")');
  });
});
