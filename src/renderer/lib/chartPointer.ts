// Where the pointer is on a chart, in steps, and what the curves hold there.
//
// The charts' hover and zoom are handled here rather than by recharts: its tooltip maps the
// pointer onto a number axis through the axis's domain ends only, so hovering anywhere showed
// the first step (issue 13), and every pointer move re-rendered the whole chart. Here the
// pointer's x becomes a step by the same linear map the axis uses, and the values come from
// the per-step buffers, exact at that step, not from the downsampled rows.
import type { EvaluationPoint } from '../../shared/contract';
import { lowerBound } from '../state/chartData';
import type { Curves } from '../state/series';

/** The plot's horizontal extent inside its container, in px. */
export interface PlotBox {
  left: number;
  width: number;
}

export function stepAtX(x: number, box: PlotBox, domain: readonly [number, number]): number {
  const t = Math.min(1, Math.max(0, (x - box.left) / box.width));
  return domain[0] + t * (domain[1] - domain[0]);
}

export function xOfStep(step: number, box: PlotBox, domain: readonly [number, number]): number {
  const span = domain[1] - domain[0];
  return box.left + (span > 0 ? ((step - domain[0]) / span) * box.width : 0);
}

/** The index of the step nearest to `step` in ascending `steps`; -1 when there are none. */
export function nearestIndex(steps: ArrayLike<number>, step: number): number {
  if (steps.length === 0) return -1;
  const i = lowerBound(steps, step);
  if (i === 0) return 0;
  if (i >= steps.length) return steps.length - 1;
  return step - steps[i - 1] <= steps[i] - step ? i - 1 : i;
}

/** One run's values at a step: its raw and smoothed series, from the per-step buffers. */
export interface RunValues {
  step: number;
  raw: number;
  smoothed: number;
}

/** The run's values at the recorded step nearest to `step`, or null when it has none within `tolerance` steps. */
export function valuesAt(curves: Curves, which: 'loss' | 'accuracy', step: number, tolerance: number): RunValues | null {
  const steps = curves.step.view();
  const i = nearestIndex(steps, step);
  if (i < 0 || Math.abs(steps[i] - step) > tolerance) return null;
  const raw = which === 'loss' ? curves.loss.view() : curves.accuracy.view();
  const smoothed = which === 'loss' ? curves.lossEma.view() : curves.accuracyEma.view();
  return { step: steps[i], raw: raw[i], smoothed: smoothed[i] };
}

/** The evaluation nearest to `step`, when within `tolerance` steps. */
export function evaluationNear(points: readonly EvaluationPoint[], step: number, tolerance: number): EvaluationPoint | null {
  let best: EvaluationPoint | null = null;
  for (const p of points) if (Math.abs(p.step - step) <= tolerance && (!best || Math.abs(p.step - step) < Math.abs(best.step - step))) best = p;
  return best;
}
