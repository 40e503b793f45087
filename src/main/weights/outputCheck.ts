// Finite weights can still be unusable: 1e30 in l1.weight overflows float32 in the first
// layer, and every prediction is NaN. A file is only loaded when a forward pass over a few
// probe images gives finite outputs (model/finiteOutputs.ts).

import { Rng } from '../../engine';
import { nonFiniteProbe } from '../model/finiteOutputs';
import { SpecModel } from '../model/specModel';
import type { LoadedWeights } from './decode';
import { WeightsFileError } from './format';
import { loadedStateDict } from './stateDict';

/** Refuses (WeightsFileError) weights whose forward pass is not finite; checked on a scratch model. */
export function checkLoadedOutputs(loaded: Pick<LoadedWeights, 'spec' | 'tensors'>): void {
  const model = new SpecModel(loaded.spec, new Rng(0)).eval();
  model.loadStateDict(loadedStateDict(loaded));
  const probe = nonFiniteProbe((x) => model.forward(x));
  if (probe !== null) {
    throw new WeightsFileError(
      `the weights are finite but too large to compute with: the model's outputs for ${probe} are not finite numbers (NaN or infinity), so every prediction would be meaningless`,
    );
  }
}
