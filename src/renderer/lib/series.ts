// A growable column of numbers: training can run for millions of steps, so the
// store keeps per-step values in typed arrays that double in capacity instead
// of in JS arrays of objects (8 bytes per value, no per-point allocation).

export class GrowableSeries {
  private data: Float64Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.count++] = value;
  }

  at(i: number): number {
    if (i < 0 || i >= this.count) throw new RangeError(`index ${i} outside series of length ${this.count}`);
    return this.data[i];
  }

  last(): number | undefined {
    return this.count === 0 ? undefined : this.data[this.count - 1];
  }

  /** A view of the filled part (no copy): valid until the next push. */
  view(): Float64Array {
    return this.data.subarray(0, this.count);
  }

  clear(): void {
    this.count = 0;
  }
}
