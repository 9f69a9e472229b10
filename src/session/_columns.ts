/**
 * Growable columns for per-turn and per-call data. A long log has tens of thousands of turns;
 * kept as one small object each, they end up scattered among the garbage of millions of parsed
 * lines and the heap (and RSS) grows with the file. One typed array per field does not.
 */

/** Numbers in a Float64Array; NaN stands for "unknown". */
export class NumberColumn {
  private data = new Float64Array(256);
  length = 0;

  push(value: number | undefined | null): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value ?? Number.NaN;
  }

  get(i: number): number | undefined {
    const v = this.data[i]!;
    return Number.isNaN(v) ? undefined : v;
  }

  set(i: number, value: number | undefined | null): void {
    this.data[i] = value ?? Number.NaN;
  }

  /** Add to a cell; an unknown cell becomes the value. */
  add(i: number, value: number): void {
    const v = this.data[i]!;
    this.data[i] = Number.isNaN(v) ? value : v + value;
  }
}
