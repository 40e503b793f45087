import { describe, expect, it } from 'vitest';
import { atlasLayout, paintAtlas, tileOrigin } from '../../src/renderer/lib/atlas';
import { divergingColor } from '../../src/renderer/lib/colormap';

describe('weights atlas', () => {
  it('lays 128 units out as 16 × 8 tiles with 1-pixel gutters', () => {
    const layout = atlasLayout(128);
    expect(layout).toEqual({ columns: 16, rows: 8, width: 16 * 29 - 1, height: 8 * 29 - 1 });
    expect(tileOrigin(layout, 17)).toEqual({ x: 29, y: 29 });
    expect(atlasLayout(64).rows).toBe(4);
    expect(atlasLayout(5)).toMatchObject({ columns: 5, rows: 1 });
    expect(atlasLayout(512).columns).toBe(32);
    expect(() => atlasLayout(1.5)).toThrow(/whole number/);
  });

  it('puts each unit on its own tile, scaled by its own largest |w|, gutters transparent', () => {
    const units = 3;
    const weights = new Float32Array(units * 784);
    weights[0] = 0.5; // unit 0, pixel (0, 0): its only weight → full red
    weights[784 + 28 + 1] = -0.01; // unit 1, pixel (1, 1): its only weight → full blue, however small
    weights[2 * 784 + 783] = 0; // unit 2 all zero → white
    const layout = atlasLayout(units);
    const rgba = new Uint8ClampedArray(layout.width * layout.height * 4);
    paintAtlas(weights, units, layout, rgba);
    const px = (x: number, y: number) => Array.from(rgba.subarray((y * layout.width + x) * 4, (y * layout.width + x) * 4 + 4));
    expect(px(0, 0)).toEqual([...divergingColor(1), 255]);
    expect(px(29 + 1, 1)).toEqual([...divergingColor(-1), 255]);
    expect(px(58 + 27, 27)).toEqual([255, 255, 255, 255]);
    expect(px(28, 0)).toEqual([0, 0, 0, 0]);
  });

  it('refuses weights that do not cover every unit', () => {
    const layout = atlasLayout(2);
    expect(() => paintAtlas(new Float32Array(784), 2, layout, new Uint8ClampedArray(layout.width * layout.height * 4))).toThrow(/need 2/);
  });
});
