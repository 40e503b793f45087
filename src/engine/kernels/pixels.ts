// Turning rows of 8-bit pixels into model inputs.

/** pixel → float32(pixel / 255), computed once: the division is the same for every image. */
const PIXEL_TO_UNIT = Float32Array.from({ length: 256 }, (_, p) => p / 255);

/** out[r, :] = images[indices[r], :] / 255 for `count` rows of `rowLength` pixels (indices already checked). */
export function gatherScaled(images: Uint8Array, rowLength: number, indices: ArrayLike<number>, count: number, out: Float32Array): void {
  for (let row = 0; row < count; row++) {
    const src = indices[row] * rowLength;
    const dst = row * rowLength;
    for (let p = 0; p < rowLength; p++) out[dst + p] = PIXEL_TO_UNIT[images[src + p]];
  }
}
