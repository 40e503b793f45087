// The learner's own digits in training and evaluation: a batch that mixes MNIST examples with
// theirs (fine-tuning on their handwriting), and the model's answer for each of their digits.
// Their digits are a set of 28×28 greyscale images like MNIST's (shared/myDigits.ts), so the
// same gather turns both into one input tensor.
import { noGrad, Rng, Tensor } from '../../engine';
import { fillPixels, gatherLabels } from '../../engine/data/batch';
import { MNIST_PIXELS, type MnistSet } from '../../engine/data/mnist';
import { allocFloat32 } from '../../engine/storage';
import { EVAL_CHUNK, type Classifier } from './evaluation';

/** How many of a batch of `size` come from the learner's digits at this share: at least one, at most all. */
export function mixedCount(size: number, share: number): number {
  return Math.min(size, Math.max(1, Math.round(share * size)));
}

/** Draws the learner's digits with replacement, from a stream of its own (MNIST's batch order stays the seed's). */
export class MyDigitsMixer {
  private readonly rng: Rng;

  constructor(
    readonly set: MnistSet,
    seed: number,
  ) {
    // A different stream from the run's: the seed plus a constant, kept in 32 bits.
    this.rng = new Rng((seed + 0x6d79) >>> 0);
  }

  /** One batch: MNIST's `indices` first, then `count` of the learner's digits. */
  gather(train: MnistSet, indices: Int32Array, count: number): { x: Tensor; y: Int32Array } {
    const mine = new Int32Array(count);
    for (let i = 0; i < count; i++) mine[i] = this.rng.int(this.set.count);
    const rows = indices.length + count;
    const data = allocFloat32(rows * MNIST_PIXELS);
    fillPixels(train, indices, data);
    fillPixels(this.set, mine, data.subarray(indices.length * MNIST_PIXELS));
    const y = new Int32Array(rows);
    y.set(gatherLabels(train, indices));
    y.set(gatherLabels(this.set, mine), indices.length);
    return { x: new Tensor(data, [rows, MNIST_PIXELS]), y };
  }
}

/** The arg-max class of every example of `set` (call in evaluation mode). */
export function predictAll(model: Classifier, set: MnistSet, chunk = EVAL_CHUNK): Int32Array {
  const predicted = new Int32Array(set.count);
  noGrad(() => {
    for (let start = 0; start < set.count; start += chunk) {
      const size = Math.min(chunk, set.count - start);
      const indices = Int32Array.from({ length: size }, (_, i) => start + i);
      const x = new Tensor(allocFloat32(size * MNIST_PIXELS), [size, MNIST_PIXELS]);
      fillPixels(set, indices, x.data);
      predicted.set(model.forward(x).argmax(1), start);
    }
  });
  return predicted;
}
