// Loaded, validated tensors as the engine's state dict (tensors wrapping the decoded
// arrays, no copy: loadStateDict copies them into the live model).

import { Tensor } from '../../engine';
import type { LoadedWeights } from './decode';

export function loadedStateDict(loaded: Pick<LoadedWeights, 'tensors'>): Map<string, Tensor> {
  const dict = new Map<string, Tensor>();
  for (const [name, t] of loaded.tensors) dict.set(name, new Tensor(t.data, t.shape));
  return dict;
}
