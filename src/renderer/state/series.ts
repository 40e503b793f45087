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
  };
}

/** Appends one step; steps at or before the last one are ignored (a re-sent batch must not draw twice). */
export function appendStep(curves: Curves, step: number, loss: number, accuracy: number): boolean {
  const last = curves.step.last();
  if (last !== undefined && step <= last) return false;
  curves.step.push(step);
  curves.loss.push(loss);
  curves.accuracy.push(accuracy);
  curves.lossEma.push(emaNext(curves.lossState, loss));
  curves.accuracyEma.push(emaNext(curves.accuracyState, accuracy));
  return true;
}
