/**
 * A counting semaphore: at most `capacity` holders at once, the others served first come,
 * first served. The run's pool has one per stage (stages.ts, ADR 0018).
 */
export class Slots {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  /** Wait for a slot; the function returned gives it back (a second call does nothing). */
  async acquire(): Promise<() => void> {
    if (this.held < this.capacity) this.held += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `held` stays the same.
      if (next) next();
      else this.held -= 1;
    };
  }
}
