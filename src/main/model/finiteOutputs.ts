// Outputs that are not finite numbers: a model whose weights are too large to compute with
// gives NaN for every input. The weights loader probes a model with a few images before it
// is used; every prediction is checked before it is reported.

import { noGrad, Tensor } from '../../engine';
import { MNIST_COLS, MNIST_PIXELS } from '../../shared/mnist';

/** Inputs span [0, 1]: blank, full ink, mid grey, and a checkerboard (what a real digit mixes). */
const PROBES: readonly { name: string; pixel: (i: number) => number }[] = [
  { name: 'a blank image', pixel: () => 0 },
  { name: 'an image full of ink', pixel: () => 1 },
  { name: 'a grey image', pixel: () => 0.5 },
  { name: 'a checkerboard', pixel: (i) => ((i % MNIST_COLS) + Math.floor(i / MNIST_COLS)) % 2 },
];

/** The probe that makes `forward` produce a NaN or ±Infinity, or null when all outputs are finite. */
export function nonFiniteProbe(forward: (x: Tensor) => Tensor): string | null {
  const pixels = new Float32Array(PROBES.length * MNIST_PIXELS);
  PROBES.forEach((probe, row) => {
    for (let i = 0; i < MNIST_PIXELS; i++) pixels[row * MNIST_PIXELS + i] = probe.pixel(i);
  });
  const outputs = noGrad(() =>
    forward(Tensor.fromArray(pixels, [PROBES.length, MNIST_PIXELS]))
      .softmax(-1)
      .toArray(),
  );
  const per = outputs.length / PROBES.length;
  const bad = outputs.findIndex((v) => !Number.isFinite(v));
  return bad < 0 ? null : PROBES[Math.floor(bad / per)].name;
}

/** For each prediction: a NaN probability means the model itself is broken, and says so. */
export function assertFiniteProbabilities(probabilities: readonly number[]): void {
  if (probabilities.some((p) => !Number.isFinite(p))) {
    throw new Error("the model's output for this image is not a finite number (NaN or infinity): its weights are too large to compute with");
  }
}
