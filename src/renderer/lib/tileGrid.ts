// A grid of equal tiles on one canvas with 1-pixel transparent gutters: the first layer's
// 28×28 weight tiles, a convolution's filters, a layer's feature maps. One putImageData per
// redraw instead of one canvas (and one composited layer) per tile. Tiles may be painted
// `zoom` times larger than their values (each value a zoom × zoom block), so the gutters stay
// one pixel wide when the canvas is shown one to one.
import { maxAbs, paintDiverging } from './colormap';

export const GUTTER = 1;

export interface TileGrid {
  tiles: number;
  /** A tile's size in values. */
  tileWidth: number;
  tileHeight: number;
  /** Canvas pixels per value, each way. */
  zoom: number;
  columns: number;
  rows: number;
  /** Canvas size in pixels. */
  width: number;
  height: number;
}

export function tileGrid(tiles: number, tileWidth: number, tileHeight: number, columns: number, zoom = 1): TileGrid {
  if (!Number.isInteger(tiles) || tiles < 0) throw new RangeError(`tile count must be a whole number, got ${tiles}`);
  const cols = Math.max(1, Math.min(tiles, Math.floor(columns)));
  const rows = Math.max(1, Math.ceil(tiles / cols));
  return {
    tiles,
    tileWidth,
    tileHeight,
    zoom,
    columns: cols,
    rows,
    width: cols * (tileWidth * zoom + GUTTER) - GUTTER,
    height: rows * (tileHeight * zoom + GUTTER) - GUTTER,
  };
}

/** Top-left pixel of a tile. */
export function tileAt(grid: TileGrid, tile: number): { x: number; y: number } {
  return { x: (tile % grid.columns) * (grid.tileWidth * grid.zoom + GUTTER), y: Math.floor(tile / grid.columns) * (grid.tileHeight * grid.zoom + GUTTER) };
}

/**
 * Paints tile t from values[t·w·h, (t+1)·w·h) (row-major) into `rgba` (grid.width × grid.height),
 * with the diverging map divided by `scale` — one number for every tile (a layer's feature
 * maps, comparable with each other), or 'tile': each tile by its own largest |value| (weights,
 * so a weak unit stays readable). Gutters and empty cells stay transparent.
 */
export function paintTiles(values: ArrayLike<number>, grid: TileGrid, rgba: Uint8ClampedArray, scale: number | 'tile'): void {
  const { tileWidth: w, tileHeight: h, zoom } = grid;
  const size = w * h;
  if (values.length < grid.tiles * size) throw new RangeError(`values hold ${Math.floor(values.length / size)} tiles, need ${grid.tiles}`);
  if (rgba.length < grid.width * grid.height * 4) throw new RangeError('canvas buffer too small for its grid');
  rgba.fill(0);
  const tile = new Uint8ClampedArray(size * 4);
  // One 32-bit word per pixel: a value's colour is copied as a whole into its zoom × zoom block.
  const source = new Uint32Array(tile.buffer);
  const target = new Uint32Array(rgba.buffer, rgba.byteOffset, grid.width * grid.height);
  for (let t = 0; t < grid.tiles; t++) {
    const offset = t * size;
    paintDiverging(values, offset, size, scale === 'tile' ? maxAbs(values, offset, size) : scale, tile);
    const { x, y } = tileAt(grid, t);
    for (let row = 0; row < h * zoom; row++) {
      const from = Math.floor(row / zoom) * w;
      const to = (y + row) * grid.width + x;
      if (zoom === 1) {
        target.set(source.subarray(from, from + w), to);
      } else {
        for (let col = 0; col < w * zoom; col++) target[to + col] = source[from + Math.floor(col / zoom)];
      }
    }
  }
}
