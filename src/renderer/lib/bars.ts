// A dense layer's outputs for one digit as bars on one canvas: one bar per unit (or per block of
// units when there are more than the width holds, showing the block's strongest), its height
// the value over the layer's largest |value|, coloured with the weights' diverging map. With
// negative values the baseline is in the middle; otherwise at the bottom.
import { divergingColor } from './colormap';

export interface BarsLayout {
  units: number;
  bars: number;
  barWidth: number;
  width: number;
  height: number;
}

/** Bars for `units` values within `maxWidth` pixels: 1–12 px each, fewer bars than units past the width. */
export function barsLayout(units: number, maxWidth: number, height: number): BarsLayout {
  const room = Math.max(1, Math.floor(maxWidth));
  const bars = Math.max(1, Math.min(units, room));
  const barWidth = Math.max(1, Math.min(12, Math.floor(room / bars)));
  return { units, bars, barWidth, width: bars * barWidth, height };
}

/** Paints `values` (layout.units of them) into `rgba` (layout.width × layout.height), divided by `scale`. */
export function paintBars(values: ArrayLike<number>, layout: BarsLayout, scale: number, rgba: Uint8ClampedArray): void {
  const { units, bars, barWidth, width, height } = layout;
  if (values.length < units) throw new RangeError(`values hold ${values.length} units, need ${units}`);
  if (rgba.length < width * height * 4) throw new RangeError('canvas buffer too small for the bars');
  rgba.fill(0);
  let signed = false;
  for (let i = 0; i < units; i++) if (values[i] < 0) signed = true;
  const base = signed ? Math.floor(height / 2) : height;
  const reach = signed ? Math.floor(height / 2) : height;
  const k = scale > 0 ? 1 / scale : 0;
  for (let b = 0; b < bars; b++) {
    const u0 = Math.floor((b * units) / bars);
    const u1 = Math.max(u0 + 1, Math.floor(((b + 1) * units) / bars));
    let strongest = 0;
    for (let u = u0; u < u1; u++) if (Math.abs(values[u]) > Math.abs(strongest)) strongest = values[u];
    const t = Number.isFinite(strongest * k) ? Math.max(-1, Math.min(1, strongest * k)) : 0;
    const length = Math.round(Math.abs(t) * reach);
    const [red, green, blue] = divergingColor(t === 0 ? 0 : Math.sign(t) * Math.max(0.35, Math.abs(t)));
    const top = t >= 0 ? base - length : base;
    for (let y = top; y < top + length; y++) {
      for (let x = b * barWidth; x < (b + 1) * barWidth - (barWidth > 2 ? 1 : 0); x++) {
        const p = (y * width + x) * 4;
        rgba[p] = red;
        rgba[p + 1] = green;
        rgba[p + 2] = blue;
        rgba[p + 3] = 255;
      }
    }
  }
}
