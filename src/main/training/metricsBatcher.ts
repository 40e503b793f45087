// Collects every step's loss and batch accuracy and hands them out as one MetricsEvent
// per flush, so the renderer gets a few messages a second and still sees every step.
import type { MetricsEvent } from '../../shared/contract';

export class MetricsBatcher {
  private firstStep = 0;
  private loss: number[] = [];
  private accuracy: number[] = [];
  private lr = 0;

  get size(): number {
    return this.loss.length;
  }

  /** `lr` is the learning rate the step used (a schedule moves it). */
  add(step: number, loss: number, accuracy: number, lr = 0): void {
    if (this.loss.length === 0) this.firstStep = step;
    else if (step !== this.firstStep + this.loss.length) {
      throw new Error(`metrics for step ${step} do not follow step ${this.firstStep + this.loss.length - 1}`);
    }
    this.loss.push(loss);
    this.accuracy.push(accuracy);
    this.lr = lr;
  }

  /**
   * The pending steps as one event (null when there are none); `epoch` is the progress after
   * the last one, `samplesPerSecond` the rate the run goes at (see rateMeter.ts).
   */
  flush(epoch: number, samplesPerSecond: number): MetricsEvent | null {
    if (this.loss.length === 0) return null;
    const event: MetricsEvent = { firstStep: this.firstStep, loss: this.loss, accuracy: this.accuracy, samplesPerSecond, epoch, lr: this.lr };
    this.loss = [];
    this.accuracy = [];
    return event;
  }
}
