// All first-layer tiles on one canvas: a grid of 28×28 tiles with a 1-pixel
// gutter. One putImageData per redraw instead of one canvas (and one
// composited layer) per hidden unit.
import { MNIST_ROWS } from '../../shared/mnist';
import { maxAbs, paintDiverging } from './colormap';

export const TILE = MNIST_ROWS;
export const GUTTER = 1;
const PIXELS = TILE * TILE;

export interface AtlasLayout {
  columns: number;
  rows: number;
  /** Canvas size in pixels. */
  width: number;
  height: number;
}

export function atlasLayout(units: number): AtlasLayout {
  if (!Number.isInteger(units) || units < 0) throw new RangeError(`unit count must be a whole number, got ${units}`);
  const columns = Math.max(1, Math.min(units, units > 256 ? 32 : 16));
  const rows = Math.max(1, Math.ceil(units / columns));
  return { columns, rows, width: columns * (TILE + GUTTER) - GUTTER, height: rows * (TILE + GUTTER) - GUTTER };
}

/** Top-left pixel of a unit's tile. */
export function tileOrigin(layout: AtlasLayout, unit: number): { x: number; y: number } {
  return { x: (unit % layout.columns) * (TILE + GUTTER), y: Math.floor(unit / layout.columns) * (TILE + GUTTER) };
}

/**
 * Paints every unit's weights (rows of `weights`, PIXELS each) into `rgba` (layout.width × layout.height),
 * each tile scaled by its own largest |w|; gutters and empty cells stay transparent.
 */
export function paintAtlas(weights: Float32Array, units: number, layout: AtlasLayout, rgba: Uint8ClampedArray, tile = new Uint8ClampedArray(PIXELS * 4)): void {
  if (weights.length < units * PIXELS) throw new RangeError(`weights hold ${Math.floor(weights.length / PIXELS)} tiles, need ${units}`);
  if (rgba.length < layout.width * layout.height * 4) throw new RangeError('atlas buffer too small for its layout');
  rgba.fill(0);
  const stride = layout.width * 4;
  for (let unit = 0; unit < units; unit++) {
    const offset = unit * PIXELS;
    paintDiverging(weights, offset, PIXELS, maxAbs(weights, offset, PIXELS), tile);
    const { x, y } = tileOrigin(layout, unit);
    for (let row = 0; row < TILE; row++) {
      rgba.set(tile.subarray(row * TILE * 4, (row + 1) * TILE * 4), (y + row) * stride + x * 4);
    }
  }
}
