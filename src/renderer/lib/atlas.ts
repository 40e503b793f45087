// The first layer's weights as 28×28 tiles, one per unit, on one canvas (see tileGrid.ts):
// 16 columns, 32 past 256 units.
import { MNIST_COLS, MNIST_ROWS } from '../../shared/mnist';
import { GUTTER, paintTiles, tileAt, tileGrid, type TileGrid } from './tileGrid';

export const TILE = MNIST_ROWS;
export { GUTTER };

export interface AtlasLayout {
  columns: number;
  rows: number;
  /** Canvas size in pixels. */
  width: number;
  height: number;
}

function grid(units: number): TileGrid {
  if (!Number.isInteger(units) || units < 0) throw new RangeError(`unit count must be a whole number, got ${units}`);
  return tileGrid(units, MNIST_COLS, MNIST_ROWS, units > 256 ? 32 : 16);
}

export function atlasLayout(units: number): AtlasLayout {
  const { columns, rows, width, height } = grid(units);
  return { columns, rows, width, height };
}

/** Top-left pixel of a unit's tile. */
export function tileOrigin(layout: AtlasLayout, unit: number): { x: number; y: number } {
  return tileAt({ ...layout, tiles: layout.columns * layout.rows, tileWidth: MNIST_COLS, tileHeight: MNIST_ROWS, zoom: 1 }, unit);
}

/**
 * Paints every unit's weights (rows of `weights`, 28·28 each) into `rgba` (layout.width × layout.height),
 * each tile scaled by its own largest |w|; gutters and empty cells stay transparent.
 */
export function paintAtlas(weights: Float32Array, units: number, layout: AtlasLayout, rgba: Uint8ClampedArray): void {
  const size = MNIST_COLS * MNIST_ROWS;
  if (weights.length < units * size) throw new RangeError(`weights hold ${Math.floor(weights.length / size)} tiles, need ${units}`);
  if (rgba.length < layout.width * layout.height * 4) throw new RangeError('atlas buffer too small for its layout');
  paintTiles(weights, { ...layout, tiles: units, tileWidth: MNIST_COLS, tileHeight: MNIST_ROWS, zoom: 1 }, rgba, 'tile');
}
