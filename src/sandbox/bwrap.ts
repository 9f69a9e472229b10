import { spawnChild } from "../process/children.ts";

/**
 * Trials in bubblewrap (README, Sandbox; docs/adr/0009-sandbox.md): the host file system
 * read-only, writable only what the trial needs, a private /tmp, and a PID namespace of its own
 * so every process of the trial ends with it. The network is shared: the agent needs its model.
 */

export type BwrapProbe =
  | { ok: true; path: string; version: string }
  | { ok: false; reason: string; hint: string };

const INSTALL_HINT =
  "Install bubblewrap (`apt-get install bubblewrap`, `dnf install bubblewrap`, `apk add bubblewrap`), or run with --sandbox none.";
const USERNS_HINT =
  "bubblewrap needs unprivileged user namespaces: allow them (`sysctl kernel.unprivileged_userns_clone=1` on Debian, `sysctl kernel.apparmor_restrict_unprivileged_userns=0` on Ubuntu 24.04+; in a container, run it with --security-opt seccomp=unconfined or as a privileged job), or run with --sandbox none.";

/**
 * The arguments that put a command in the sandbox; `writable` paths are bound read-write, and
 * `readable` paths under /tmp (an executable, a runtime cache) are bound read-only over the
 * private /tmp, where they would otherwise be missing.
 */
export function bwrapArgs(opts: {
  bwrap: string;
  writable: readonly string[];
  readable?: readonly string[];
  cwd: string;
}): string[] {
  const args = [opts.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
  const underTmp = (path: string) => path === "/tmp" || path.startsWith("/tmp/");
  // After the private /tmp, so that paths under /tmp are bound over it.
  for (const path of [...new Set(opts.readable ?? [])].filter(underTmp).sort())
    args.push("--ro-bind-try", path, path);
  for (const path of [...new Set(opts.writable)].sort()) args.push("--bind", path, path);
  args.push("--unshare-pid", "--die-with-parent", "--new-session", "--chdir", opts.cwd, "--");
  return args;
}

/**
 * Whether bubblewrap is installed and works here: one run of `true` in the same kind of sandbox
 * a trial gets. Probed once per run.
 */
export async function probeBwrap(): Promise<BwrapProbe> {
  const path = Bun.which("bwrap");
  if (!path) return { ok: false, reason: "bubblewrap (bwrap) is not installed", hint: INSTALL_HINT };
  const run = async (args: string[]) => {
    const proc = spawnChild(args, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { out, err, code };
  };
  const version = (await run([path, "--version"])).out.trim();
  const probe = await run([...bwrapArgs({ bwrap: path, writable: [], cwd: "/" }), "true"]);
  if (probe.code !== 0) {
    const why = probe.err.trim().split("\n").at(-1) ?? `exit ${probe.code}`;
    return { ok: false, reason: `bubblewrap does not work here: ${why}`, hint: USERNS_HINT };
  }
  return { ok: true, path, version };
}
