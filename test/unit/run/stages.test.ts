import { describe, expect, test } from "bun:test";
import type { TrialCell } from "../../../src/run/context.ts";
import { Slots } from "../../../src/run/slots.ts";
import { TrialStages } from "../../../src/run/stages.ts";
import type { NotRun, TrialGates } from "../../../src/run/trial/run-trial.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const cell = (trial: number) => ({ trial }) as unknown as TrialCell;

/** A promise and the function that resolves it. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("Slots", () => {
  test("never more holders than the capacity; waiters are served in order; a second release does nothing", async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    const a = await slots.acquire();
    const b = await slots.acquire();
    const waiting = [3, 4].map(async (n) => {
      const release = await slots.acquire();
      order.push(n);
      return release;
    });
    await tick();
    expect(order).toEqual([]);
    a();
    a();
    await tick();
    expect(order).toEqual([3]);
    b();
    const [c, d] = await Promise.all(waiting);
    expect(order).toEqual([3, 4]);
    c!();
    d!();
    // Both slots are free again: two acquire at once, a third waits.
    await slots.acquire();
    await slots.acquire();
    let third = false;
    void slots.acquire().then(() => {
      third = true;
    });
    await tick();
    expect(third).toBe(false);
  });
});

/**
 * Trials through the stages with a scripted life: prepare, wait at the agent gate, run the agent
 * until told to end, finish. Records what ran at once.
 */
function harness(
  concurrency: number,
  opts: { budgetAiu?: number; aiuEach?: number; sweepAfterExit?: boolean } = {},
) {
  const controller = new AbortController();
  const started: number[] = [];
  const stages = new TrialStages(concurrency, {
    signal: controller.signal,
    budgetAiu: opts.budgetAiu,
    spentAiu: 0,
    onTrialStart: (c) => started.push(c.trial),
  });
  let preparing = 0;
  let agents = 0;
  const peak = { preparing: 0, agents: 0 };
  const agentEnds = new Map<number, () => void>();
  /** With `sweepAfterExit`: ends the sweep of what an exited agent left (then the trial finishes). */
  const sweeps = new Map<number, () => void>();
  const prepared: number[] = [];
  const run = (trial: number, attempt = 1) =>
    stages.run(
      cell(trial),
      attempt,
      async (gates: TrialGates) => {
        preparing += 1;
        peak.preparing = Math.max(peak.preparing, preparing);
        await tick();
        preparing -= 1;
        prepared.push(trial);
        const notRun: NotRun | undefined = await gates.agent();
        if (notRun) return { aiu: 0, result: notRun.status };
        agents += 1;
        peak.agents = Math.max(peak.agents, agents);
        gates.agentStarted();
        const end = deferred();
        agentEnds.set(trial, end.resolve);
        await end.promise;
        agents -= 1;
        if (opts.sweepAfterExit) {
          gates.agentExited();
          const swept = deferred();
          sweeps.set(trial, swept.resolve);
          await swept.promise;
        }
        await gates.agentEnded();
        return { aiu: opts.aiuEach ?? 0, result: "ok" };
      },
      (notRun) => `${notRun.status} before preparing`,
    );
  return { controller, started, peak, agentEnds, sweeps, prepared, run, stages };
}

describe("TrialStages", () => {
  test("at most `concurrency` agents at once, while the next trials are already prepared", async () => {
    const h = harness(2);
    const results = [1, 2, 3, 4, 5, 6].map((t) => h.run(t));
    for (let i = 0; i < 10; i++) await tick();
    expect(h.started).toEqual([1, 2]);
    expect(h.peak.agents).toBe(2);
    // Two agents run, and two more trials are prepared and waiting for a slot.
    expect(h.prepared.sort()).toEqual([1, 2, 3, 4]);
    h.agentEnds.get(1)!();
    for (let i = 0; i < 5; i++) await tick();
    // The ended agent's slot went straight to a prepared trial.
    expect(h.started).toEqual([1, 2, 3]);
    for (let t = 2; t <= 6; t++) {
      for (let i = 0; i < 5; i++) await tick();
      h.agentEnds.get(t)!();
    }
    expect(await Promise.all(results)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
    expect(h.peak.agents).toBe(2);
    expect(h.peak.preparing).toBeLessThanOrEqual(2);
  });

  test("a budget is checked with what every ended agent spent: at concurrency 1 the next trial is skipped exactly", async () => {
    const h = harness(1, { budgetAiu: 3, aiuEach: 2 });
    const results = [1, 2, 3].map((t) => h.run(t));
    for (let i = 0; i < 5; i++) await tick();
    h.agentEnds.get(1)!();
    for (let i = 0; i < 5; i++) await tick();
    h.agentEnds.get(2)!();
    // Trial 2 started (2 AIU spent of 3), trial 3 did not (4 spent).
    expect(await Promise.all(results)).toEqual(["ok", "ok", "skipped"]);
    expect(h.started).toEqual([1, 2]);
    expect(h.stages.notRunReason()?.reason).toBe("budget of 3 AIU reached (4.00 AIU spent)");
  });

  test("an agent's slot goes on at its exit, while what it left is still being swept", async () => {
    const h = harness(1, { sweepAfterExit: true });
    const results = [1, 2].map((t) => h.run(t));
    for (let i = 0; i < 5; i++) await tick();
    h.agentEnds.get(1)!();
    for (let i = 0; i < 5; i++) await tick();
    // Trial 1 is still sweeping; trial 2's agent has started.
    expect(h.started).toEqual([1, 2]);
    expect(h.sweeps.has(1)).toBe(true);
    h.sweeps.get(1)!();
    h.agentEnds.get(2)!();
    for (let i = 0; i < 5; i++) await tick();
    h.sweeps.get(2)!();
    expect(await Promise.all(results)).toEqual(["ok", "ok"]);
  });

  test("with a budget, the next agent waits at the exit of the one before until its AIU is counted", async () => {
    const h = harness(1, { budgetAiu: 3, aiuEach: 2, sweepAfterExit: true });
    const results = [1, 2, 3].map((t) => h.run(t));
    for (let i = 0; i < 5; i++) await tick();
    h.agentEnds.get(1)!();
    for (let i = 0; i < 5; i++) await tick();
    // Trial 1 exited, but its AIU is known only once it has finished: trial 2 waits.
    expect(h.started).toEqual([1]);
    h.sweeps.get(1)!();
    for (let i = 0; i < 5; i++) await tick();
    expect(h.started).toEqual([1, 2]);
    h.agentEnds.get(2)!();
    for (let i = 0; i < 5; i++) await tick();
    h.sweeps.get(2)!();
    // 2 AIU spent of 3 when trial 2 started; 4 when trial 3 would have.
    expect(await Promise.all(results)).toEqual(["ok", "ok", "skipped"]);
    expect(h.started).toEqual([1, 2]);
  });

  test("after an interruption, a prepared trial does not start its agent", async () => {
    const h = harness(1);
    const results = [1, 2].map((t) => h.run(t));
    for (let i = 0; i < 5; i++) await tick();
    expect(h.prepared.sort()).toEqual([1, 2]);
    h.controller.abort();
    h.agentEnds.get(1)!();
    expect(await Promise.all(results)).toEqual(["ok", "interrupted"]);
    expect(h.started).toEqual([1]);
  });

  test("a trial waiting to prepare when the run is interrupted prepares nothing", async () => {
    const h = harness(1);
    const results = [1, 2, 3].map((t) => h.run(t));
    for (let i = 0; i < 5; i++) await tick();
    // 1 runs its agent, 2 is prepared and waits for the agent slot, 3 waits to prepare.
    expect(h.prepared.sort()).toEqual([1, 2]);
    h.controller.abort();
    h.agentEnds.get(1)!();
    expect(await Promise.all(results)).toEqual(["ok", "interrupted", "interrupted before preparing"]);
    expect(h.prepared.sort()).toEqual([1, 2]);
  });

  test("a retry continues a trial that ran: the budget does not stop it, and it is not a new start", async () => {
    const h = harness(1, { budgetAiu: 1, aiuEach: 2 });
    const first = h.run(1);
    for (let i = 0; i < 5; i++) await tick();
    h.agentEnds.get(1)!();
    expect(await first).toBe("ok");
    expect(h.stages.notRunReason()?.status).toBe("skipped");
    const retry = h.run(1, 2);
    const next = h.run(2);
    for (let i = 0; i < 5; i++) await tick();
    h.agentEnds.get(1)!();
    expect(await retry).toBe("ok");
    expect(await next).toBe("skipped before preparing");
    expect(h.started).toEqual([1]);
  });
});
