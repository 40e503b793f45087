import { describe, expect, it } from 'vitest';
import { divergingColor, maxAbs, paintDigit, paintDiverging } from '../../src/renderer/lib/colormap';

describe('diverging colour map', () => {
  it('maps zero to white, negative to blue, positive to red', () => {
    expect(divergingColor(0)).toEqual([255, 255, 255]);
    const [r1, , b1] = divergingColor(-1);
    expect(b1).toBeGreaterThan(r1);
    const [r2, , b2] = divergingColor(1);
    expect(r2).toBeGreaterThan(b2);
  });

  it('clamps beyond ±1 and treats NaN as zero', () => {
    expect(divergingColor(5)).toEqual(divergingColor(1));
    expect(divergingColor(-5)).toEqual(divergingColor(-1));
    expect(divergingColor(NaN)).toEqual([255, 255, 255]);
  });

  it('gets more saturated with magnitude', () => {
    expect(divergingColor(0.5)[1]).toBeGreaterThan(divergingColor(0.9)[1]);
  });

  it('paints a tile scaled by its own max |w|, with opaque alpha', () => {
    const w = Float32Array.from([0, 0.2, -0.4, 0.1, 9]);
    const scale = maxAbs(w, 1, 3);
    expect(scale).toBeCloseTo(0.4, 6);
    const rgba = new Uint8ClampedArray(3 * 4);
    paintDiverging(w, 1, 3, scale, rgba);
    expect(Array.from(rgba.subarray(4, 8))).toEqual([...divergingColor(-1), 255]);
    expect(rgba[3]).toBe(255);
  });

  it('paints an all-zero tile white rather than dividing by zero', () => {
    const rgba = new Uint8ClampedArray(8);
    paintDiverging(new Float32Array(2), 0, 2, 0, rgba);
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it('refuses a buffer too small', () => {
    expect(() => paintDiverging([1, 2], 0, 2, 1, new Uint8ClampedArray(4))).toThrow(/need 2/);
  });

  it('paints digits as dark ink on white', () => {
    const rgba = new Uint8ClampedArray(8);
    paintDigit([0, 255], rgba);
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
  });
});
