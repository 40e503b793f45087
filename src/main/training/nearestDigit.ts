// How far an input is from the handwritten digits the network learned from: the distance, in pixels, to the
// nearest of a fixed tenth of the training set (every REFERENCE_STRIDE-th image). One half of the out-of-
// distribution check (shared/insight/outOfDistribution.ts, where the threshold and its measurement are): a
// line, a star or a letter is far from every training digit even when the network answers it confidently.
// (Measured and left out: blurring both sides first with a 3×3 binomial kernel separated digits from
// non-digits slightly worse, bench/oodBench.ts.)
import { MNIST_PIXELS, type MnistSet } from '../../engine/data/mnist';

/** Every this-many-th training image is a reference: 10 000 of MNIST’s 60 000, ~31 MB as floats. */
export const REFERENCE_STRIDE = 6;

export class NearestDigit {
  private readonly references: Float32Array;
  private readonly norms: Float64Array;
  readonly count: number;

  constructor(set: MnistSet, stride = REFERENCE_STRIDE) {
    this.count = Math.ceil(set.count / stride);
    this.references = new Float32Array(this.count * MNIST_PIXELS);
    this.norms = new Float64Array(this.count);
    for (let r = 0; r < this.count; r++) {
      const start = r * stride * MNIST_PIXELS;
      let norm = 0;
      for (let k = 0; k < MNIST_PIXELS; k++) {
        const v = set.images[start + k] / 255;
        this.references[r * MNIST_PIXELS + k] = v;
        norm += v * v;
      }
      this.norms[r] = norm;
    }
  }

  /** The distance from `pixels` (784 values in [0, 1], ink = 1) to the nearest reference digit. */
  distance(x: Float32Array): number {
    let xNorm = 0;
    for (const v of x) xNorm += v * v;
    let best = Infinity;
    const refs = this.references;
    for (let r = 0; r < this.count; r++) {
      const base = r * MNIST_PIXELS;
      let dot = 0;
      for (let k = 0; k < MNIST_PIXELS; k++) dot += x[k] * refs[base + k];
      const d2 = xNorm + this.norms[r] - 2 * dot;
      if (d2 < best) best = d2;
    }
    return Math.sqrt(Math.max(0, best));
  }
}

const built = new WeakMap<MnistSet, NearestDigit>();

/** One NearestDigit per training set, built on first use (a Reset keeps the same MNIST). */
export function nearestDigitFor(set: MnistSet): NearestDigit {
  let found = built.get(set);
  if (!found) built.set(set, (found = new NearestDigit(set)));
  return found;
}
