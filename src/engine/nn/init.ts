// Parameter initialisation, as torch.nn.init.
import type { Rng } from '../data/rng';
import { Tensor } from '../tensor';

/** U(−bound, bound): PyTorch's default for Linear and Conv2d, where kaiming_uniform(a=√5)
 * gives bound = 1/√fan_in for the weight, and the bias takes the same bound. */
export function uniformInit(shape: readonly number[], bound: number, rng: Rng): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = (2 * rng.next() - 1) * bound;
  return t;
}
