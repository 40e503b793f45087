// Diverging colour map for weights: blue for negative, white for zero, red for
// positive (the RdBu convention read the "hot = excites" way). Written into RGBA
// bytes so a canvas can take them as ImageData without conversion.

const NEG: readonly [number, number, number] = [33, 102, 172];
const POS: readonly [number, number, number] = [178, 24, 43];

/** RGB for t in [-1, 1] (clamped): -1 → blue, 0 → white, 1 → red. */
export function divergingColor(t: number): [number, number, number] {
  const c = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  const end = c < 0 ? NEG : POS;
  const a = Math.abs(c);
  return [Math.round(255 + (end[0] - 255) * a), Math.round(255 + (end[1] - 255) * a), Math.round(255 + (end[2] - 255) * a)];
}

/** Largest absolute finite value in values[offset, offset+length): the symmetric scale of a tile. */
export function maxAbs(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let m = 0;
  for (let i = offset; i < offset + length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}

/** The map sampled at LUT_SIZE steps over [-1, 1]: painting a tile is then a table look-up per pixel. */
const LUT_SIZE = 511;
const LUT = (() => {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) lut.set(divergingColor((2 * i) / (LUT_SIZE - 1) - 1), i * 3);
  return lut;
})();

/**
 * Paints values[offset, offset+length) into `rgba` (4 bytes per value) with the diverging map,
 * dividing by `scale` (a zero scale paints white: an all-zero tile is blank, not a division by zero).
 */
export function paintDiverging(values: ArrayLike<number>, offset: number, length: number, scale: number, rgba: Uint8ClampedArray): void {
  if (rgba.length < length * 4) throw new RangeError(`rgba holds ${rgba.length / 4} pixels, need ${length}`);
  const half = (LUT_SIZE - 1) / 2;
  const k = scale > 0 ? half / scale : 0;
  for (let i = 0; i < length; i++) {
    const v = values[offset + i] * k;
    // NaN fails both comparisons and lands on white, like zero.
    const t = v > half ? half : v < -half ? -half : v === v ? v : 0;
    const j = Math.round(t + half) * 3;
    const p = i * 4;
    rgba[p] = LUT[j];
    rgba[p + 1] = LUT[j + 1];
    rgba[p + 2] = LUT[j + 2];
    rgba[p + 3] = 255;
  }
}

/** Greyscale digit (0..255, ink high) painted as dark ink on white paper. */
export function paintDigit(pixels: ArrayLike<number>, rgba: Uint8ClampedArray): void {
  if (rgba.length < pixels.length * 4) throw new RangeError(`rgba holds ${rgba.length / 4} pixels, need ${pixels.length}`);
  for (let i = 0; i < pixels.length; i++) {
    const v = 255 - Math.max(0, Math.min(255, pixels[i]));
    const p = i * 4;
    rgba[p] = v;
    rgba[p + 1] = v;
    rgba[p + 2] = v;
    rgba[p + 3] = 255;
  }
}
