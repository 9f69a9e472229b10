import { join } from "node:path";

/**
 * The report client (src/report/client/*.ts) as one script, bundled by `Bun.build`. Imported
 * as a macro (`with { type: "macro" }`), so `bun build --compile` runs it once and inlines the
 * string into the binary; run from source, it bundles the current client when the module loads.
 * The bundling runs in a child process: a macro may not call `Bun.build` itself (ADR 0003).
 */
export function clientBundle(): string {
  const proc = Bun.spawnSync([process.execPath, join(import.meta.dir, "build-client.ts")], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (proc.exitCode !== 0) throw new Error(`bundling the report client failed:\n${proc.stderr.toString()}`);
  return proc.stdout.toString();
}
