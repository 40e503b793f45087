// Exponential moving average, as TensorBoard's smoothing: noisy batch losses
// become a readable curve. The first value is debiased (as Adam does) so the
// curve does not start at zero and climb.

export interface EmaState {
  /** Smoothing factor in [0, 1): weight of the past. */
  readonly alpha: number;
  biased: number;
  count: number;
}

export function createEma(alpha: number): EmaState {
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`EMA alpha must be in [0, 1), got ${alpha}`);
  return { alpha, biased: 0, count: 0 };
}

/** Feeds one value and returns the smoothed value so far. Non-finite values are skipped. */
export function emaNext(state: EmaState, value: number): number {
  if (Number.isFinite(value)) {
    state.biased = state.alpha * state.biased + (1 - state.alpha) * value;
    state.count++;
  }
  if (state.count === 0) return NaN;
  return state.biased / (1 - Math.pow(state.alpha, state.count));
}
