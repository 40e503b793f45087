// A weight matrix as a compact heatmap: at most MAX_COLUMNS × MAX_ROWS pixels, each the
// strongest weight (largest |w|, sign kept) of the block of the matrix it stands for, so a
// 120×400 layer fits beside its name and a single strong weight never averages away.
import { divergingColor } from './colormap';

export const MAX_COLUMNS = 256;
export const MAX_ROWS = 128;

export interface HeatmapSize {
  rows: number;
  columns: number;
  /** Canvas size in pixels. */
  width: number;
  height: number;
}

export function heatmapSize(rows: number, columns: number): HeatmapSize {
  return { rows, columns, width: Math.min(columns, MAX_COLUMNS), height: Math.min(rows, MAX_ROWS) };
}

/** Paints the row-major `rows × columns` matrix `values` into `rgba` (size.width × size.height), divided by `scale`. */
export function paintHeatmap(values: ArrayLike<number>, size: HeatmapSize, scale: number, rgba: Uint8ClampedArray): void {
  const { rows, columns, width, height } = size;
  if (values.length < rows * columns) throw new RangeError(`values hold ${values.length} weights, need ${rows * columns}`);
  if (rgba.length < width * height * 4) throw new RangeError('canvas buffer too small for the heatmap');
  const k = scale > 0 ? 1 / scale : 0;
  for (let y = 0; y < height; y++) {
    const r0 = Math.floor((y * rows) / height);
    const r1 = Math.max(r0 + 1, Math.floor(((y + 1) * rows) / height));
    for (let x = 0; x < width; x++) {
      const c0 = Math.floor((x * columns) / width);
      const c1 = Math.max(c0 + 1, Math.floor(((x + 1) * columns) / width));
      let strongest = 0;
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          const v = values[r * columns + c];
          if (Math.abs(v) > Math.abs(strongest)) strongest = v;
        }
      }
      const [red, green, blue] = divergingColor(strongest * k);
      const p = (y * width + x) * 4;
      rgba[p] = red;
      rgba[p + 1] = green;
      rgba[p + 2] = blue;
      rgba[p + 3] = 255;
    }
  }
}
