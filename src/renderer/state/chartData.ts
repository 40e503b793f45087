// What the charts draw: at most `maxPoints` rows picked from the full curves.
// Loss keeps each bucket's min and max of the raw values (spikes stay
// visible); accuracy is smooth enough for an even stride.
import { minMaxIndices, strideIndices } from '../lib/downsample';
import type { EvaluationPoint } from '../../shared/contract';
import type { Curves } from './series';
import { MNIST_CLASSES } from '../../shared/mnist';

/**
 * Where a network that guesses uniformly at random sits: cross-entropy ln 10 ≈ 2.30 and one
 * answer in ten right. A fresh network starts there; the charts draw it as a reference.
 */
export const CHANCE_LOSS = Math.log(MNIST_CLASSES);
export const CHANCE_ACCURACY = 1 / MNIST_CLASSES;

/** A row that draws only the chance line. */
export interface ChanceRow {
  step: number;
  chance: number;
}

export interface LossPoint extends ChanceRow {
  loss: number;
  lossEma: number;
}

export interface AccuracyPoint extends ChanceRow {
  accuracy: number;
  accuracyEma: number;
}

/** Before the first step the chance line spans this many steps, so an empty chart already has its axes. */
export const EMPTY_CHART_STEPS = 1000;

/** The rows of a chart with no steps yet: only the chance line. */
export function chanceOnly(chance: number): ChanceRow[] {
  return [
    { step: 0, chance },
    { step: EMPTY_CHART_STEPS, chance },
  ];
}

// About two pixels per point at the charts' width: the curve looks the same as with 500,
// and recharts' work per redraw (path, its length, scales) shrinks with the rows.
export const MAX_CHART_POINTS = 300;

export function lossPoints(curves: Curves, maxPoints = MAX_CHART_POINTS): LossPoint[] {
  const step = curves.step.view();
  const loss = curves.loss.view();
  const ema = curves.lossEma.view();
  const picked = minMaxIndices(loss, maxPoints);
  const out: LossPoint[] = new Array(picked.length);
  for (let k = 0; k < picked.length; k++) {
    const i = picked[k];
    out[k] = { step: step[i], loss: loss[i], lossEma: ema[i], chance: CHANCE_LOSS };
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
    out[k] = { step: step[i], accuracy: acc[i], accuracyEma: ema[i], chance: CHANCE_ACCURACY };
  }
  return out;
}

/** Test-set points to draw: at most `maxPoints`, evenly spread, always including the newest. */
export function evaluationPoints(points: readonly EvaluationPoint[], maxPoints = 120): EvaluationPoint[] {
  if (points.length <= maxPoints) return points as EvaluationPoint[];
  return Array.from(strideIndices(points.length, maxPoints), (i) => points[i]);
}
