// Loaded, validated parameters as the engine's state dict (tensors wrapping the decoded
// arrays, no copy: loadStateDict copies them into the live model).

import { Tensor } from '../../engine';
import type { LoadedWeights } from './decode';

export function loadedStateDict(loaded: Pick<LoadedWeights, 'params'>): Map<string, Tensor> {
  const dict = new Map<string, Tensor>();
  for (const [name, p] of loaded.params) dict.set(name, new Tensor(p.data, p.shape));
  return dict;
}
