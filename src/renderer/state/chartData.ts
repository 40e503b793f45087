// What the charts draw: at most `maxPoints` rows picked from the full curves.
// Loss keeps each bucket's min and max of the raw values (spikes stay
// visible); accuracy is smooth enough for an even stride.
import { minMaxIndices, strideIndices } from '../lib/downsample';
import type { EvaluationPoint } from '../../shared/contract';
import type { Curves } from './series';

export interface LossPoint {
  step: number;
  loss: number;
  lossEma: number;
}

export interface AccuracyPoint {
  step: number;
  accuracy: number;
  accuracyEma: number;
}

export const MAX_CHART_POINTS = 1000;

export function lossPoints(curves: Curves, maxPoints = MAX_CHART_POINTS): LossPoint[] {
  const step = curves.step.view();
  const loss = curves.loss.view();
  const ema = curves.lossEma.view();
  const picked = minMaxIndices(loss, maxPoints);
  const out: LossPoint[] = new Array(picked.length);
  for (let k = 0; k < picked.length; k++) {
    const i = picked[k];
    out[k] = { step: step[i], loss: loss[i], lossEma: ema[i] };
  }
  return out;
}

export function accuracyPoints(curves: Curves, maxPoints = MAX_CHART_POINTS): AccuracyPoint[] {
  const step = curves.step.view();
  const acc = curves.accuracy.view();
  const ema = curves.accuracyEma.view();
  const picked = strideIndices(step.length, maxPoints);
  const out: AccuracyPoint[] = new Array(picked.length);
  for (let k = 0; k < picked.length; k++) {
    const i = picked[k];
    out[k] = { step: step[i], accuracy: acc[i], accuracyEma: ema[i] };
  }
  return out;
}

/** Test-set points to draw: at most `maxPoints`, evenly spread, always including the newest. */
export function evaluationPoints(points: readonly EvaluationPoint[], maxPoints = 120): EvaluationPoint[] {
  if (points.length <= maxPoints) return points as EvaluationPoint[];
  return Array.from(strideIndices(points.length, maxPoints), (i) => points[i]);
}
