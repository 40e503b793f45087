// The per-step training curves as the store keeps them: every step's loss and
// batch accuracy, plus their running EMAs, appended in place. Charts read these
// through downsampling; nothing here is ever copied per update.
import { createEma, emaNext, type EmaState } from '../lib/ema';
import { GrowableSeries } from '../lib/series';

/** Weight of the past in the smoothed curves: about a 50-step window. */
export const SMOOTHING = 0.98;

export interface Curves {
  step: GrowableSeries;
  loss: GrowableSeries;
  lossEma: GrowableSeries;
  accuracy: GrowableSeries;
  accuracyEma: GrowableSeries;
  lossState: EmaState;
  accuracyState: EmaState;
  /**
   * Steps per point. 1 live; after a reload, the stride of the Node side's downsampled history
   * (its points are means of `stride` steps), so the steps that follow are drawn the same way
   * and the curve does not get denser (and noisier) from the reload on.
   */
  stride: number;
  /** The steps of the point being filled (stride > 1): their count and sums. */
  bucket: { count: number; loss: number; accuracy: number };
  /** The last step taken into the bucket. */
  bucketStep?: number;
}

export function createCurves(): Curves {
  return {
    step: new GrowableSeries(),
    loss: new GrowableSeries(),
    lossEma: new GrowableSeries(),
    accuracy: new GrowableSeries(),
    accuracyEma: new GrowableSeries(),
    lossState: createEma(SMOOTHING),
    accuracyState: createEma(SMOOTHING),
    stride: 1,
    bucket: { count: 0, loss: 0, accuracy: 0 },
  };
}

/**
 * The stride of a downsampled history (history.ts): the spacing of its last whole points (the
 * very last may be a partly filled bucket). 1 for a history of every step.
 */
export function historyStride(steps: ArrayLike<number>): number {
  const n = steps.length;
  if (n < 3) return 1;
  const gap = steps[n - 2] - steps[n - 3];
  return Number.isSafeInteger(gap) && gap > 1 ? gap : 1;
}

/** Curves rebuilt from a downsampled history: its points as they are, and the steps after them at its stride. */
export function curvesFromHistory(step: ArrayLike<number>, loss: ArrayLike<number>, accuracy: ArrayLike<number>): Curves {
  const curves = createCurves();
  const n = Math.min(step.length, loss.length, accuracy.length);
  for (let i = 0; i < n; i++) pushPoint(curves, step[i], loss[i], accuracy[i]);
  curves.stride = historyStride(Array.prototype.slice.call(step, 0, n) as number[]);
  return curves;
}

function pushPoint(curves: Curves, step: number, loss: number, accuracy: number): void {
  curves.step.push(step);
  curves.loss.push(loss);
  curves.accuracy.push(accuracy);
  curves.lossEma.push(emaNext(curves.lossState, loss));
  curves.accuracyEma.push(emaNext(curves.accuracyState, accuracy));
}

/**
 * Appends one step; steps at or before the last one are ignored (a re-sent batch must not draw
 * twice). At a stride above 1 the step joins a bucket, drawn as its mean once it is full; true
 * when a point was added.
 */
export function appendStep(curves: Curves, step: number, loss: number, accuracy: number): boolean {
  const last = curves.step.last();
  if (last !== undefined && step <= last) return false;
  if (curves.stride <= 1) {
    pushPoint(curves, step, loss, accuracy);
    return true;
  }
  const { bucket } = curves;
  if (bucket.count > 0 && step <= (curves.bucketStep ?? 0)) return false;
  bucket.count++;
  bucket.loss += loss;
  bucket.accuracy += accuracy;
  curves.bucketStep = step;
  if (bucket.count < curves.stride) return false;
  pushPoint(curves, step, bucket.loss / bucket.count, bucket.accuracy / bucket.count);
  curves.bucket = { count: 0, loss: 0, accuracy: 0 };
  return true;
}
