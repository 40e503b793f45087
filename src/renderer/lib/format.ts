// Number formats shared by the panels (error texts come from shared/messageOf).

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatPercent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–';
}

export function formatLoss(x: number): string {
  return Number.isFinite(x) ? x.toFixed(x < 0.1 ? 4 : 3) : '–';
}

/**
 * A step on a chart's axis: in full below 100 000 ("1,925"), so that the ticks of a zoom into a
 * few dozen steps do not all read "1.9k" (issue 25); in thousands above.
 */
export function formatStepTick(v: number): string {
  return v >= 100_000 ? `${Math.round(v / 1000)}k` : formatInt(Math.round(v));
}

export function formatRate(samplesPerSecond: number): string {
  if (!Number.isFinite(samplesPerSecond) || samplesPerSecond <= 0) return '–';
  return samplesPerSecond >= 10_000 ? `${(samplesPerSecond / 1000).toFixed(1)}k` : formatInt(samplesPerSecond);
}

/** A flat size as a number (`128`), an image as channels × height × width (`8×14×14`). */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? formatInt(shape[0]) : shape.join('×');
}
