import { expect, test } from "bun:test";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { probeOnce, type SandboxPlan, sandboxPrefix } from "../../../src/run/sandbox-plan.ts";
import { tempDir } from "../../helpers/tmp.ts";

const probe = await probeOnce();

// A `copilot` on PATH that is a link into a checkout whose node_modules is itself a link, all
// under the temp folder the sandbox replaces with its own: each hop must be visible inside.
test.skipIf(!probe.ok)(
  "an executable reached through a chain of links under /tmp runs in the sandbox",
  async () => {
    const base = tempDir();
    const real = join(base, "real", "node_modules", "pkg");
    mkdirSync(real, { recursive: true });
    writeFileSync(join(real, "tool"), "#!/bin/sh\necho ran in the sandbox\n");
    chmodSync(join(real, "tool"), 0o755);
    mkdirSync(join(base, "checkout"));
    symlinkSync(join(base, "real", "node_modules"), join(base, "checkout", "node_modules"));
    mkdirSync(join(base, "bin"));
    const executable = join(base, "bin", "tool");
    symlinkSync(join(base, "checkout", "node_modules", "pkg", "tool"), executable);
    const workspace = join(base, "workspace");
    mkdirSync(workspace);

    const plan: SandboxPlan = {
      mode: "bwrap",
      requested: "bwrap",
      bwrap: probe.ok ? probe.path : undefined,
      writable: [],
      root: workspace,
    };
    const prefix = sandboxPrefix(plan, { workspace, executable })!;
    const proc = Bun.spawn([...prefix, executable], { stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    expect({ code, out, err }).toEqual({ code: 0, out: "ran in the sandbox\n", err: "" });
  },
);
