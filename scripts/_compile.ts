/**
 * Compile the CLI into one self-contained executable (shared by `bun run build` and
 * `bun run release`). The git commit is baked in with `--define`, so `--version` can name it.
 */
import { $ } from "bun";

/** `abc123def456`, with `+dirty` when the working tree has uncommitted changes; `unknown` outside git. */
export async function buildCommit(cwd = process.cwd()): Promise<string> {
  const head = await $`git rev-parse --short=12 HEAD`.cwd(cwd).quiet().nothrow();
  if (head.exitCode !== 0) return "unknown";
  const status = await $`git status --porcelain --untracked-files=no`.cwd(cwd).quiet().nothrow();
  const dirty = status.exitCode === 0 && status.stdout.toString().trim() !== "";
  return `${head.stdout.toString().trim()}${dirty ? "+dirty" : ""}`;
}

/**
 * `bun build --compile` of src/cli/main.ts for `target` (a Bun target such as `bun-linux-x64`, or
 * the host). `--splitting` keeps each command's code in its own chunk inside the executable, so
 * `--version` and `--help` parse and load none of it (ADR 0016, docs/benchmarks.md). `--bytecode`
 * ships the code compiled for the engine, so a command's modules load without parsing: `run
 * --help` starts in about half the time (docs/benchmarks.md); it needs ESM output.
 */
export async function compile(opts: { outfile: string; commit: string; target?: string }): Promise<void> {
  const target = opts.target ? [`--target=${opts.target}`] : [];
  const define = `__CX_BUILD_COMMIT__=${JSON.stringify(opts.commit)}`;
  const result =
    await $`bun build --compile --splitting --format=esm --bytecode --minify --sourcemap=none ${target} --define ${define} src/cli/main.ts --outfile ${opts.outfile}`
      .quiet()
      .nothrow();
  if (result.exitCode !== 0) {
    throw new Error(
      `bun build --compile ${opts.target ?? "(host)"} failed (exit ${result.exitCode}):\n${result.stderr.toString()}`,
    );
  }
}
