// Finite weights can still be unusable: 1e30 in l1.weight overflows float32 in the first
// layer, and every prediction is NaN. A file is only loaded when a forward pass over a few
// probe images gives finite outputs, and no prediction with a NaN in it is ever reported.

import { MLP, noGrad, Tensor } from '../../engine';
import type { LoadedWeights } from './decode';
import { CLASSES, INPUT_FEATURES, WeightsFileError } from './format';
import { loadedStateDict } from './stateDict';

/** Inputs span [0, 1]: blank, full ink, mid grey, and a checkerboard (what a real digit mixes). */
const PROBES: readonly { name: string; pixel: (i: number) => number }[] = [
  { name: 'a blank image', pixel: () => 0 },
  { name: 'an image full of ink', pixel: () => 1 },
  { name: 'a grey image', pixel: () => 0.5 },
  { name: 'a checkerboard', pixel: (i) => ((i % 28) + Math.floor(i / 28)) % 2 },
];

/** The probe that makes `forward` produce a NaN or ±Infinity, or null when all outputs are finite. */
export function nonFiniteProbe(forward: (x: Tensor) => Tensor): string | null {
  const pixels = new Float32Array(PROBES.length * INPUT_FEATURES);
  PROBES.forEach((probe, row) => {
    for (let i = 0; i < INPUT_FEATURES; i++) pixels[row * INPUT_FEATURES + i] = probe.pixel(i);
  });
  const outputs = noGrad(() => forward(Tensor.fromArray(pixels, [PROBES.length, INPUT_FEATURES])).softmax(-1).toArray());
  const per = outputs.length / PROBES.length;
  const bad = outputs.findIndex((v) => !Number.isFinite(v));
  return bad < 0 ? null : PROBES[Math.floor(bad / per)].name;
}

/** Refuses (WeightsFileError) weights whose forward pass is not finite; checked on a scratch model. */
export function checkLoadedOutputs(loaded: Pick<LoadedWeights, 'hidden' | 'params'>): void {
  const model = new MLP(INPUT_FEATURES, loaded.hidden, CLASSES);
  model.loadStateDict(loadedStateDict(loaded));
  const probe = nonFiniteProbe((x) => model.forward(x));
  if (probe !== null) {
    throw new WeightsFileError(
      `the weights are finite but too large to compute with: the model's outputs for ${probe} are not finite numbers (NaN or infinity), so every prediction would be meaningless`,
    );
  }
}

/** For each prediction: a NaN probability means the model itself is broken, and says so. */
export function assertFiniteProbabilities(probabilities: readonly number[]): void {
  if (probabilities.some((p) => !Number.isFinite(p))) {
    throw new Error("the model's output for this image is not a finite number (NaN or infinity): its weights are too large to compute with");
  }
}
