// What the learning-rate curve in the settings draws: the schedule's rate over enough steps to
// show its shape (and the run so far), sampled from the same function the trainer uses.
import { CONSTANT_SCHEDULE, learningRateAt } from '../../shared/schedules';
import type { OptimizerConfig } from '../../shared/optimizers';

/** A constant rate has no length of its own: the curve spans this many steps (or the run so far). */
const CONSTANT_HORIZON = 1000;
/** Fewer steps than this make no curve worth drawing. */
const MIN_HORIZON = 8;

/** Steps the curve spans: the schedule's length (and a little after), at least past `step`. */
export function curveHorizon(optimizer: OptimizerConfig, step: number): number {
  const schedule = optimizer.schedule ?? CONSTANT_SCHEDULE;
  const h = schedule.hyper;
  const shape = schedule.type === 'step' ? 4 * h.decayEvery : schedule.type === 'constant' ? CONSTANT_HORIZON : Math.ceil(1.1 * h.scheduleSteps);
  return Math.max(shape, Math.ceil(step * 1.1), MIN_HORIZON);
}

/** `count` points (t, lr) over [0, horizon]: t counts steps taken, as the schedule does. */
export function curvePoints(optimizer: OptimizerConfig, horizon: number, count = 160): { t: number; lr: number }[] {
  return Array.from({ length: count }, (_, i) => {
    const t = Math.round((i * horizon) / (count - 1));
    return { t, lr: learningRateAt(optimizer, t) };
  });
}

/** A learning rate for people: three significant digits, exponent form below 0.001. */
export function formatLr(lr: number): string {
  if (!Number.isFinite(lr)) return '–';
  if (lr === 0) return '0';
  return lr < 1e-3 ? lr.toExponential(2) : String(Number(lr.toPrecision(3)));
}
