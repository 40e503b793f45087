// Turning example indices into model inputs: pixels scaled to [0, 1] as float32, exactly as
// the reference does it (`x.float() / 255`), and labels as Int32Array for the loss.

import { fusedKernels } from '../kernels/fused';
import { spanRecorder } from '../profile';
import { allocUninitialized } from '../storage';
import { Tensor } from '../tensor';
import { MNIST_PIXELS, type MnistSet } from './mnist';

/** Writes the scaled pixels of `indices` into `out` (length ≥ indices.length × 784), row after row. */
export function fillPixels(set: MnistSet, indices: ArrayLike<number>, out: Float32Array): void {
  for (let row = 0; row < indices.length; row++) {
    const index = indices[row];
    if (!(Number.isInteger(index) && index >= 0 && index < set.count)) {
      throw new RangeError(`example index ${index} is outside 0..${set.count - 1}`);
    }
  }
  const ints = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  fusedKernels().gatherScaled(set.images, MNIST_PIXELS, ints, ints.length, out);
}

/**
 * Gets `set` ready to have batches gathered from it on this thread: the WASM gather kernel reads
 * a copy of the pixels in its own memory, made on first use (47 MB for MNIST's training set,
 * a quarter of a second on a VM that is slow to fault in fresh pages). Call it when a run is
 * set up, so that the first training step does not pay for it. A no-op without the WASM kernels.
 */
export function prepareGather(set: MnistSet): void {
  fusedKernels().prepareGather(set.images);
}

export function gatherLabels(set: MnistSet, indices: ArrayLike<number>): Int32Array {
  const y = new Int32Array(indices.length);
  for (let row = 0; row < indices.length; row++) y[row] = set.labels[indices[row]];
  return y;
}

/**
 * The batch as a tensor x [B, 784] and labels y. The pixels go straight into the tensor's
 * own storage (inside a step scope, the WASM memory, where the first matmul reads them in
 * place): no intermediate arrays per step.
 */
export function gatherBatch(set: MnistSet, indices: ArrayLike<number>): { x: Tensor; y: Int32Array } {
  const rec = spanRecorder(); // `npm run bench -- --profile` (profile.ts); null unless the bench installed one
  rec?.begin('batch');
  const data = allocUninitialized(indices.length * MNIST_PIXELS);
  fillPixels(set, indices, data);
  const batch = { x: new Tensor(data, [indices.length, MNIST_PIXELS]), y: gatherLabels(set, indices) };
  rec?.end();
  return batch;
}
