import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../../src/errors.ts";
import { acquireRunLock } from "../../../src/process/lock.ts";
import { tempDir } from "../../helpers/tmp.ts";

function refusal(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected the lock to be refused");
}

async function deadPid(): Promise<number> {
  const child = Bun.spawn(["true"]);
  await child.exited;
  return child.pid;
}

describe("one writer per run", () => {
  test("a second writer of the same run is refused with exit 2, naming the holder; release frees it", () => {
    const dir = tempDir();
    const lock = acquireRunLock(dir, "whole", "run");
    const err = refusal(() => acquireRunLock(dir, "whole", "run --resume"));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`is in use: run (pid ${process.pid} on `);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    acquireRunLock(dir, "whole", "run --resume").release();
  });

  test("shards of one run hold locks side by side; a whole-run writer (or merge) conflicts with any", () => {
    const dir = tempDir();
    const a = acquireRunLock(dir, "1-of-2", "run");
    const b = acquireRunLock(dir, "2-of-2", "run");
    expect(refusal(() => acquireRunLock(dir, "1-of-2", "run --resume")).message).toContain("is in use");
    expect(refusal(() => acquireRunLock(dir, "whole", "merge")).message).toContain("is in use");
    // the refused writer left no lock of its own behind
    expect(readdirSync(dir).sort()).toEqual([".lock.1-of-2", ".lock.2-of-2"]);
    a.release();
    b.release();
    const whole = acquireRunLock(dir, "whole", "merge");
    expect(refusal(() => acquireRunLock(dir, "2-of-2", "run")).message).toContain("is in use: merge");
    whole.release();
  });

  test("a lock whose process is gone, or whose pid now belongs to another process, is taken over", async () => {
    const { hostname } = await import("node:os");
    const dir = tempDir();
    const stale = { pid: await deadPid(), host: hostname(), started: "2026-01-01T00:00:00Z", what: "run" };
    writeFileSync(join(dir, ".lock.whole"), JSON.stringify(stale));
    acquireRunLock(dir, "whole", "run --resume").release();
    const reused = { ...stale, pid: process.pid, pid_start: "1" };
    writeFileSync(join(dir, ".lock.whole"), JSON.stringify(reused));
    acquireRunLock(dir, "whole", "run --resume").release();
    writeFileSync(join(dir, ".lock.whole"), "{half-writ");
    acquireRunLock(dir, "whole", "run --resume").release();
    expect(existsSync(join(dir, ".lock.whole"))).toBe(false);
  });

  test("a lock held on another host is respected: the holder cannot be checked from here", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, ".lock.whole"),
      JSON.stringify({ pid: 1, host: "build-agent-7", started: "2026-01-01T00:00:00Z", what: "run" }),
    );
    const err = refusal(() => acquireRunLock(dir, "whole", "run --resume"));
    expect(err.message).toContain("pid 1 on build-agent-7");
    expect(err.hint).toContain("delete the .lock.* file");
  });
});
