// Turning example indices into model inputs: pixels scaled to [0, 1] as float32, exactly as
// the reference does it (`x.float() / 255`), and labels as Int32Array for the loss.

import { allocFloat32 } from '../storage';
import { Tensor } from '../tensor';
import { MNIST_PIXELS, type MnistSet } from './mnist';

/** pixel → float32(pixel / 255), computed once: the division is the same for every image. */
const PIXEL_TO_UNIT = Float32Array.from({ length: 256 }, (_, p) => p / 255);

/** Writes the scaled pixels of `indices` into `out` (length ≥ indices.length × 784), row after row. */
export function fillPixels(set: MnistSet, indices: ArrayLike<number>, out: Float32Array): void {
  const { images } = set;
  for (let row = 0; row < indices.length; row++) {
    const index = indices[row];
    if (!(index >= 0 && index < set.count)) throw new RangeError(`example index ${index} is outside 0..${set.count - 1}`);
    const src = index * MNIST_PIXELS;
    const dst = row * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) out[dst + p] = PIXEL_TO_UNIT[images[src + p]];
  }
}

export function gatherLabels(set: MnistSet, indices: ArrayLike<number>): Int32Array {
  const y = new Int32Array(indices.length);
  for (let row = 0; row < indices.length; row++) y[row] = set.labels[indices[row]];
  return y;
}

/**
 * The batch as a tensor x [B, 784] and labels y. The pixels go straight into the tensor's
 * own storage (allocFloat32): no intermediate arrays per step.
 */
export function gatherBatch(set: MnistSet, indices: ArrayLike<number>): { x: Tensor; y: Int32Array } {
  const data = allocFloat32(indices.length * MNIST_PIXELS);
  fillPixels(set, indices, data);
  return { x: new Tensor(data, [indices.length, MNIST_PIXELS]), y: gatherLabels(set, indices) };
}
