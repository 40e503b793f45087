// Linear: y = x·Wᵀ + b with W [out, in], initialised as torch.nn.Linear:
// kaiming_uniform(a=√5) for W, which is U(−1/√in, 1/√in), and the same bound for b.
import { Rng } from '../data/rng';
import { linear } from '../ops/linear';
import { Tensor } from '../tensor';
import { Module } from './module';

export interface LinearOptions {
  rng?: Rng;
  bias?: boolean;
}

export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    for (const [what, n] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`Linear: ${what} must be a positive integer, got ${n}`);
    }
    const rng = options.rng ?? new Rng(0);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight', uniform([outFeatures, inFeatures], bound, rng));
    this.bias = options.bias === false ? null : this.registerParameter('bias', uniform([outFeatures], bound, rng));
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

function uniform(shape: number[], bound: number, rng: Rng): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = (2 * rng.next() - 1) * bound;
  return t;
}
