// How far an input is from the handwritten digits the network learned from, measured against every one of
// MNIST's 60 000 training images, two ways (one half of the out-of-distribution check,
// shared/insight/outOfDistribution.ts, where the thresholds and their measurement are):
// - the Euclidean distance to the nearest training image, over pixels in [0, 1]: a star, a scribble or a filled
//   square is far from every digit;
// - the cosine distance to the most similar one (1 − the largest cosine similarity): the angle between the two
//   images, whatever their ink. A thin straight line or a letter is near some digits in Euclidean distance only
//   because both have little ink; in angle it is far from them all.
// The images stay MNIST's bytes (no float copy), and only the input's inked pixels are visited: a drawn digit
// inks ~150 of the 784, so one measurement is ~9 M multiply-adds (a dense photo: 47 M).
// (Measured and left out: blurring both sides first separated digits from non-digits slightly worse; a tenth of
// the training set as references, as before, flagged two thirds of the non-digits instead of four fifths.)
import { MNIST_PIXELS, type MnistSet } from '../../engine/data/mnist';

export interface Nearness {
  /** The Euclidean distance to the nearest training image. */
  distance: number;
  /** 1 − the largest cosine similarity to a training image (0: the same picture up to its ink's strength). */
  cosineDistance: number;
}

export class NearestDigit {
  private readonly images: Uint8Array;
  /** Each training image's squared norm, over pixels in [0, 1]. */
  private readonly norms: Float64Array;
  readonly count: number;

  constructor(set: MnistSet) {
    this.count = set.count;
    this.images = set.images;
    this.norms = new Float64Array(set.count);
    for (let r = 0; r < set.count; r++) {
      let norm = 0;
      for (let k = r * MNIST_PIXELS, end = k + MNIST_PIXELS; k < end; k++) norm += set.images[k] * set.images[k];
      this.norms[r] = norm / (255 * 255);
    }
  }

  /** Both distances from `x` (784 values in [0, 1], ink = 1) to the training images. */
  measure(x: Float32Array): Nearness {
    const inked: number[] = [];
    let xNorm = 0;
    for (let k = 0; k < MNIST_PIXELS; k++) {
      if (x[k] !== 0) {
        inked.push(k);
        xNorm += x[k] * x[k];
      }
    }
    const at = Int32Array.from(inked);
    const weight = Float64Array.from(inked, (k) => x[k] / 255);
    let best = Infinity;
    let bestCosine = 0;
    const images = this.images;
    for (let r = 0; r < this.count; r++) {
      const base = r * MNIST_PIXELS;
      let dot = 0;
      for (let i = 0; i < at.length; i++) dot += weight[i] * images[base + at[i]];
      const norm = this.norms[r];
      const d2 = xNorm + norm - 2 * dot;
      if (d2 < best) best = d2;
      if (norm > 0 && xNorm > 0) {
        const cosine = dot / Math.sqrt(xNorm * norm);
        if (cosine > bestCosine) bestCosine = cosine;
      }
    }
    return { distance: Math.sqrt(Math.max(0, best)), cosineDistance: Math.max(0, 1 - bestCosine) };
  }
}

/** Answers kept for the inputs measured last: the draw pad's digit is classified again at every weights snapshot. */
const KEPT_ANSWERS = 32;

/** A NearestDigit that remembers its last answers (the measure does not depend on the model, only on the pixels). */
class RememberingNearestDigit extends NearestDigit {
  private readonly kept = new Map<string, Nearness>();

  override measure(x: Float32Array): Nearness {
    const key = Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64');
    const found = this.kept.get(key);
    if (found) return found;
    const answer = super.measure(x);
    if (this.kept.size >= KEPT_ANSWERS) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, answer);
    return answer;
  }
}

const built = new WeakMap<MnistSet, NearestDigit>();

/** One NearestDigit per training set, built on first use (a Reset keeps the same MNIST). */
export function nearestDigitFor(set: MnistSet): NearestDigit {
  let found = built.get(set);
  if (!found) built.set(set, (found = new RememberingNearestDigit(set)));
  return found;
}
