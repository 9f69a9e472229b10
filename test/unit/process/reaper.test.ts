import { expect, test } from "bun:test";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../helpers/cli.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

// In a process of its own: being the subreaper is process-wide, and the test runner must not
// adopt other tests' orphans.
test.skipIf(process.platform !== "linux")(
  "an orphan the harness adopts is found among its children, killed and collected; its own children are not",
  async () => {
    const sleeper = `${1000 + Math.floor(Math.random() * 1000)}.4242`;
    const dir = writeTree(tempDir(), {
      "reap.ts": `
import { existsSync, readFileSync } from "node:fs";
import { spawnChild } from ${JSON.stringify(join(PROJECT_ROOT, "src/process/children.ts"))};
import { adoptedOrphans, becomeSubreaper, findsOrphansByChildrenFile, reapOrphans } from ${JSON.stringify(join(PROJECT_ROOT, "src/process/reaper.ts"))};
const out: Record<string, unknown> = { subreaper: await becomeSubreaper() };
const own = spawnChild(["sleep", "30"], { stdout: "ignore" });
// The shell exits at once; its background sleep is re-parented to this process.
const sh = spawnChild(["sh", "-c", "sleep ${sleeper} >/dev/null 2>&1 & echo $!"], { stdout: "pipe" });
const orphan = Number((await new Response(sh.stdout).text()).trim());
await sh.exited;
const found = adoptedOrphans();
out.foundOrphan = found.includes(orphan);
out.foundOwn = found.includes(own.pid);
// Where the kernel lists children (CONFIG_PROC_CHILDREN), they were found there, not by a scan.
out.childrenFile = findsOrphansByChildrenFile() === existsSync("/proc/self/task/" + process.pid + "/children");
out.reaped = await reapOrphans();
out.orphanGone = !existsSync("/proc/" + orphan);
out.ownAlive = existsSync("/proc/" + own.pid) && !readFileSync("/proc/" + own.pid + "/stat", "latin1").includes(") Z");
own.kill("SIGKILL");
await own.exited;
console.log(JSON.stringify(out));
`,
    });
    const proc = Bun.spawn([process.execPath, join(dir, "reap.ts")], { stdout: "pipe", stderr: "pipe" });
    const [out, err] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    expect({ code: await proc.exited, err }).toEqual({ code: 0, err: "" });
    expect(JSON.parse(out)).toEqual({
      subreaper: true,
      foundOrphan: true,
      foundOwn: false,
      childrenFile: true,
      reaped: 1,
      orphanGone: true,
      ownAlive: true,
    });
  },
);
