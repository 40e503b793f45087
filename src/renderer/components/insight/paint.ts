// Pixels for the insight panels: the saliency map over the digit, grey images of any size,
// and a strip of small histograms. Each paints into an RGBA buffer (no DOM), so it is cheap
// to test and to call a few times a second.
import type { Histogram } from '../../../shared/insight/health';

/**
 * The digit in grey (ink dark on white, as it is written) with the saliency on top: red where
 * more ink would raise the class's logit, blue where it would lower it, opacity by |gradient|
 * relative to the largest.
 */
export function paintSaliency(pixels: ArrayLike<number>, saliency: ArrayLike<number>, rgba: Uint8ClampedArray): void {
  let max = 0;
  for (let i = 0; i < saliency.length; i++) max = Math.max(max, Math.abs(saliency[i]));
  for (let i = 0; i < pixels.length; i++) {
    const grey = 255 - Math.round(pixels[i] * 170);
    const s = max > 0 ? saliency[i] / max : 0;
    const a = Math.min(1, Math.abs(s) * 1.4);
    const [r, g, b] = s >= 0 ? [220, 38, 38] : [37, 99, 235];
    rgba[i * 4] = Math.round(grey * (1 - a) + r * a);
    rgba[i * 4 + 1] = Math.round(grey * (1 - a) + g * a);
    rgba[i * 4 + 2] = Math.round(grey * (1 - a) + b * a);
    rgba[i * 4 + 3] = 255;
  }
}

/** Values in [0, 1] as grey: `inkDark` draws 1 as black (paper white), else 1 as white (MNIST's look). */
export function paintGrey(values: ArrayLike<number>, rgba: Uint8ClampedArray, inkDark = false): void {
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
    const g = inkDark ? 255 - v : v;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = g;
    rgba[i * 4 + 3] = 255;
  }
}

export interface StripColors {
  bar: [number, number, number];
  overflow: [number, number, number];
  background: [number, number, number];
}

/** Width of one small histogram in a strip, its gap, and the height of the bars. */
export const MINI_W = 26;
export const MINI_GAP = 4;
export const MINI_H = 22;

/**
 * Small multiples: one histogram per column (`histograms`, oldest first), bars up from the
 * bottom scaled to the column's largest bin (square-root, so the tails show); the values that
 * fell outside the fixed range as a red bar at either end (over) or a dot (NaN).
 */
export function paintHistogramStrip(histograms: Histogram[], rgba: Uint8ClampedArray, width: number, colors: StripColors): void {
  const height = MINI_H;
  for (let p = 0; p < width * height; p++) {
    rgba[p * 4] = colors.background[0];
    rgba[p * 4 + 1] = colors.background[1];
    rgba[p * 4 + 2] = colors.background[2];
    rgba[p * 4 + 3] = 255;
  }
  const set = (x: number, y: number, c: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 4;
    rgba[i] = c[0];
    rgba[i + 1] = c[1];
    rgba[i + 2] = c[2];
  };
  histograms.forEach((h, k) => {
    const x0 = k * (MINI_W + MINI_GAP);
    const bins = h.counts.length;
    const column = [h.under, ...h.counts, h.over];
    const top = Math.max(1, ...column);
    for (let c = 0; c < column.length; c++) {
      const x = x0 + Math.floor((c * MINI_W) / column.length);
      const next = x0 + Math.floor(((c + 1) * MINI_W) / column.length);
      const barH = column[c] > 0 ? Math.max(1, Math.round(Math.sqrt(column[c] / top) * (height - 1))) : 0;
      const colour = c === 0 || c === bins + 1 ? colors.overflow : colors.bar;
      for (let xx = x; xx < Math.max(next, x + 1); xx++) for (let y = height - barH; y < height; y++) set(xx, y, colour);
    }
    if (h.nonFinite > 0) for (let xx = x0; xx < x0 + MINI_W; xx++) set(xx, 0, colors.overflow);
  });
}
