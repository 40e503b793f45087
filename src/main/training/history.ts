// Per-step loss and accuracy, downsampled to a bounded number of points.
//
// A page reload needs the whole curve, but 100k steps of history would be megabytes
// of state. Points are kept at a stride of `stride` steps (each point the mean of its
// bucket); when `capacity` points are reached, neighbours are merged and the stride
// doubles, so memory stays bounded and the curve keeps its overall shape.

export interface HistoryArrays {
  step: number[];
  loss: number[];
  accuracy: number[];
}

export class DownsampledHistory {
  private step: number[] = [];
  private loss: number[] = [];
  private accuracy: number[] = [];
  private stride = 1;
  private bucketCount = 0;
  private bucketLoss = 0;
  private bucketAccuracy = 0;
  private bucketLastStep = 0;

  constructor(readonly capacity = 2000) {
    if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) {
      throw new Error(`history capacity must be an even integer ≥ 2 (got ${capacity})`);
    }
  }

  push(step: number, loss: number, accuracy: number): void {
    this.bucketCount++;
    this.bucketLoss += loss;
    this.bucketAccuracy += accuracy;
    this.bucketLastStep = step;
    if (this.bucketCount < this.stride) return;
    this.step.push(step);
    this.loss.push(this.bucketLoss / this.bucketCount);
    this.accuracy.push(this.bucketAccuracy / this.bucketCount);
    this.bucketCount = this.bucketLoss = this.bucketAccuracy = 0;
    if (this.step.length === this.capacity) this.halve();
  }

  /** The kept points plus the partly filled bucket; at most `capacity` points. */
  snapshot(): HistoryArrays {
    const out = { step: this.step.slice(), loss: this.loss.slice(), accuracy: this.accuracy.slice() };
    if (this.bucketCount > 0) {
      out.step.push(this.bucketLastStep);
      out.loss.push(this.bucketLoss / this.bucketCount);
      out.accuracy.push(this.bucketAccuracy / this.bucketCount);
    }
    return out;
  }

  /**
   * A history that goes on from a kept one (a reopened run's): its points as they are, at the
   * stride of their last whole ones, so the steps that follow are kept the same way.
   */
  static restored(points: HistoryArrays, capacity = 2000): DownsampledHistory {
    const history = new DownsampledHistory(capacity);
    const n = Math.min(points.step.length, points.loss.length, points.accuracy.length);
    history.step = points.step.slice(0, n);
    history.loss = points.loss.slice(0, n);
    history.accuracy = points.accuracy.slice(0, n);
    const gap = n >= 3 ? history.step[n - 2] - history.step[n - 3] : 1;
    history.stride = Number.isSafeInteger(gap) && gap > 1 ? gap : 1;
    while (history.step.length >= capacity) history.halve();
    return history;
  }

  /** Drops every point after `lastStep` (and the partly filled bucket): the run went back to that step. */
  truncate(lastStep: number): void {
    let keep = this.step.length;
    while (keep > 0 && this.step[keep - 1] > lastStep) keep--;
    this.step.length = this.loss.length = this.accuracy.length = keep;
    this.bucketCount = this.bucketLoss = this.bucketAccuracy = 0;
  }

  get length(): number {
    return this.step.length + (this.bucketCount > 0 ? 1 : 0);
  }

  private halve(): void {
    // An odd count (a restored history) keeps its last point as it is.
    const half = Math.floor(this.step.length / 2);
    const odd = this.step.length % 2 === 1 ? { step: this.step[this.step.length - 1], loss: this.loss[this.loss.length - 1], accuracy: this.accuracy[this.accuracy.length - 1] } : null;
    for (let i = 0; i < half; i++) {
      this.step[i] = this.step[2 * i + 1];
      this.loss[i] = (this.loss[2 * i] + this.loss[2 * i + 1]) / 2;
      this.accuracy[i] = (this.accuracy[2 * i] + this.accuracy[2 * i + 1]) / 2;
    }
    this.step.length = this.loss.length = this.accuracy.length = half;
    if (odd) {
      this.step.push(odd.step);
      this.loss.push(odd.loss);
      this.accuracy.push(odd.accuracy);
    }
    this.stride *= 2;
  }
}
