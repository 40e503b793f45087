import { describe, expect, it } from 'vitest';
import { divergingColor } from '../../src/renderer/lib/colormap';
import { paintTiles, tileAt, tileGrid } from '../../src/renderer/lib/tileGrid';

describe('tile grids', () => {
  it('lays tiles out in rows with 1-pixel gutters, zoomed tiles included', () => {
    expect(tileGrid(8, 5, 5, 16)).toMatchObject({ columns: 8, rows: 1, width: 8 * 6 - 1, height: 5 });
    const zoomed = tileGrid(16, 4, 4, 8, 3);
    expect(zoomed).toMatchObject({ columns: 8, rows: 2, width: 8 * 13 - 1, height: 2 * 13 - 1 });
    expect(tileAt(zoomed, 9)).toEqual({ x: 13, y: 13 });
  });

  it('paints each value as a zoom × zoom block; one scale for the layer, or each tile its own', () => {
    // Two 2×1 tiles: [1, -1] and [0.5, 0].
    const values = Float32Array.of(1, -1, 0.5, 0);
    const grid = tileGrid(2, 2, 1, 2, 2);
    const rgba = new Uint8ClampedArray(grid.width * grid.height * 4);
    const px = (x: number, y: number) => Array.from(rgba.subarray((y * grid.width + x) * 4, (y * grid.width + x) * 4 + 4));
    paintTiles(values, grid, rgba, 1);
    expect(grid.width).toBe(9);
    for (const [x, y] of [
      [0, 0],
      [1, 1],
    ])
      expect(px(x, y)).toEqual([...divergingColor(1), 255]);
    expect(px(3, 1)).toEqual([...divergingColor(-1), 255]);
    expect(px(4, 0)).toEqual([0, 0, 0, 0]); // the gutter
    // The map is a 511-step table: half way lands within one step of 0.5.
    px(5, 1).forEach((c, i) => expect(Math.abs(c - [...divergingColor(0.5), 255][i])).toBeLessThanOrEqual(1));
    paintTiles(values, grid, rgba, 'tile');
    expect(px(5, 1)).toEqual([...divergingColor(1), 255]); // 0.5 is the second tile's largest
    expect(px(8, 0)).toEqual([255, 255, 255, 255]);
  });
});
