import type { TrialCell } from "./context.ts";
import { Slots } from "./slots.ts";
import type { NotRun, TrialGates } from "./trial/run-trial.ts";

/**
 * The run's pool in three stages (README, "How a trial runs"), each holding at most
 * `concurrency` trials: preparing a workspace (and waiting, prepared, for an agent slot), running
 * the agent, and collecting and verifying.
 * The next trials' workspaces are ready when an agent ends, and an agent's slot goes to the next
 * trial as soon as its process has exited, so `concurrency` bounds the agents running at once.
 * What the agent left behind is killed and collected meanwhile (its trial waits for that before
 * collecting); finding it waits on the event loop, which the ends of other trials keep busy, and
 * the next agent does not wait behind it (docs/benchmarks.md, "Whole process").
 */
export class TrialStages {
  private readonly preparing: Slots;
  private readonly agents: Slots;
  private readonly finishing: Slots;
  private spentAiu: number;
  /** Trials whose agent ended and whose AIU is not counted yet; a budget waits for them. */
  private uncounted = 0;
  private readonly counted: (() => void)[] = [];

  constructor(
    concurrency: number,
    private readonly opts: {
      signal: AbortSignal;
      budgetAiu?: number;
      /** AIU the trials kept from before (a resume) already spent. */
      spentAiu: number;
      onTrialStart?: (cell: TrialCell) => void;
    },
  ) {
    this.preparing = new Slots(concurrency);
    this.agents = new Slots(concurrency);
    this.finishing = new Slots(concurrency);
    this.spentAiu = opts.spentAiu;
  }

  /**
   * Why no further trial may start its agent: the run was interrupted, or its budget is spent.
   * The budget starts no new trial, but a retry continues a trial that already ran.
   */
  notRunReason(opts: { retry?: boolean } = {}): NotRun | undefined {
    if (this.opts.signal.aborted) return { status: "interrupted", reason: "interrupted before it started" };
    const budget = this.opts.budgetAiu;
    if (!opts.retry && budget !== undefined && this.spentAiu >= budget) {
      const reason = `budget of ${budget} AIU reached (${this.spentAiu.toFixed(2)} AIU spent)`;
      return { status: "skipped", reason };
    }
    return undefined;
  }

  /**
   * Run attempt `number` of a trial through the stages: `attempt` gets the gates to pass between
   * them and returns the AIU it spent with its result; `notStarted` makes the result of an
   * attempt stopped before it prepared anything (checked again once a preparing slot is free).
   */
  async run<T>(
    cell: TrialCell,
    number: number,
    attempt: (gates: TrialGates) => Promise<{ aiu: number; result: T }>,
    notStarted: (notRun: NotRun) => T,
  ): Promise<T> {
    const retry = number > 1;
    const releasePreparing = await this.preparing.acquire();
    const early = this.notRunReason({ retry });
    if (early) {
      releasePreparing();
      return notStarted(early);
    }
    let releaseAgent: (() => void) | undefined;
    let releaseFinishing: (() => void) | undefined;
    let agentEnded = false;
    // The agent's slot goes on once, at its exit (or at its end, for an invoker that does not
    // tell the exit); from then on the budget waits for this trial's AIU to be counted.
    const agentGone = () => {
      if (agentEnded) return;
      agentEnded = true;
      this.uncounted += 1;
      releaseAgent?.();
    };
    const gates: TrialGates = {
      agent: async () => {
        const release = await this.agents.acquire();
        // With a budget, what the trials before spent is known before the next one starts.
        if (this.opts.budgetAiu !== undefined && !retry) await this.allCounted();
        const notRun = this.notRunReason({ retry });
        if (notRun) {
          release();
          return notRun;
        }
        releaseAgent = release;
        if (!retry) this.opts.onTrialStart?.(cell);
        return undefined;
      },
      // The next trial starts preparing once this agent is started, not before: its work on
      // the main thread would delay the start of the agents ready to go.
      agentStarted: releasePreparing,
      agentExited: agentGone,
      agentEnded: async () => {
        agentGone();
        releaseFinishing = await this.finishing.acquire();
      },
    };
    try {
      const { aiu, result } = await attempt(gates);
      this.spentAiu += aiu;
      return result;
    } finally {
      if (agentEnded) this.countedOne();
      releasePreparing();
      releaseAgent?.();
      releaseFinishing?.();
    }
  }

  private allCounted(): Promise<void> {
    if (this.uncounted === 0) return Promise.resolve();
    return new Promise((resolve) => this.counted.push(resolve));
  }

  private countedOne(): void {
    this.uncounted -= 1;
    if (this.uncounted === 0) for (const wake of this.counted.splice(0)) wake();
  }
}
