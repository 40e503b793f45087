// Collects every step's loss and batch accuracy and hands them out as one MetricsEvent
// per flush, so the renderer gets a few messages a second and still sees every step.
import type { MetricsEvent } from '../../shared/contract';

export class MetricsBatcher {
  private firstStep = 0;
  private loss: number[] = [];
  private accuracy: number[] = [];
  private samples = 0;
  private startedAt = 0;
  private lr = 0;

  get size(): number {
    return this.loss.length;
  }

  /** `startedAt` is when this step began, so throughput counts only time spent training. */
  add(step: number, loss: number, accuracy: number, batchSize: number, startedAt: number, lr = 0): void {
    if (this.loss.length === 0) {
      this.firstStep = step;
      this.startedAt = startedAt;
    } else if (step !== this.firstStep + this.loss.length) {
      throw new Error(`metrics for step ${step} do not follow step ${this.firstStep + this.loss.length - 1}`);
    }
    this.loss.push(loss);
    this.accuracy.push(accuracy);
    this.samples += batchSize;
    this.lr = lr;
  }

  /** The pending steps as one event (null when there are none); `epoch` is the progress after the last one. */
  flush(now: number, epoch: number): MetricsEvent | null {
    if (this.loss.length === 0) return null;
    const seconds = Math.max(now - this.startedAt, 1e-3) / 1000;
    const event: MetricsEvent = {
      firstStep: this.firstStep,
      loss: this.loss,
      accuracy: this.accuracy,
      samplesPerSecond: this.samples / seconds,
      epoch,
      lr: this.lr,
    };
    this.loss = [];
    this.accuracy = [];
    this.samples = 0;
    return event;
  }
}
