import type { FFIFunction } from "bun:ffi";

/**
 * The C library's functions through bun:ffi, on Linux (glibc, then musl), for what Bun does not
 * offer: `prctl` and `waitpid` for the reaper (src/process/reaper.ts), and `isatty`, which tells a
 * terminal without loading `node:fs` or `node:tty` (start-up time of `--help`, ADR 0016). Null
 * elsewhere, or when no C library opens: callers fall back or do without. Callers type the
 * functions they asked for.
 */
export async function openLibc(symbols: Record<string, FFIFunction>): Promise<object | null> {
  if (process.platform !== "linux") return null;
  const { dlopen } = await import("bun:ffi");
  const musl = `libc.musl-${process.arch === "arm64" ? "aarch64" : "x86_64"}.so.1`;
  for (const name of ["libc.so.6", musl, "libc.so"]) {
    try {
      return dlopen(name, symbols).symbols;
    } catch {
      // try the next name
    }
  }
  return null;
}
