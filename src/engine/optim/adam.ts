// Adam in torch.optim.Adam's formulas (bias-corrected, eps added after the square root):
//   g += wd·p;  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
//   p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
import { fusedKernels } from '../kernels/fused';
import type { Tensor } from '../tensor';
import { checkNonNegative, Optimizer, type OptimizerKind } from './optimizer';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

export class Adam extends Optimizer {
  readonly kind: OptimizerKind = 'adam';
  protected readonly stateKeys = ['exp_avg', 'exp_avg_sq'];
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;

  constructor(params: readonly Tensor[], options: AdamOptions = {}, defaultWeightDecay = 0) {
    super(params, options.lr ?? 1e-3);
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? defaultWeightDecay;
    this.setHyper(this.hyper());
  }

  step(): void {
    const t = this.stepCount + 1;
    const { lr, beta1, beta2, eps, weightDecay } = this;
    const stepSize = lr / (1 - beta1 ** t);
    // √v / √(1 − β2ᵗ) as a product: a multiply is cheaper than a divide in the loop.
    const invCorrection2Sqrt = 1 / Math.sqrt(1 - beta2 ** t);
    const kernels = fusedKernels();
    for (let i = 0; i < this.params.length; i++) {
      const param = this.params[i];
      if (!param.grad) continue;
      const m = this.buffer(i, 'exp_avg');
      const v = this.buffer(i, 'exp_avg_sq');
      kernels.adam(param.data, param.grad.data, m, v, beta1, beta2, stepSize, invCorrection2Sqrt, eps, weightDecay);
    }
    this.stepCount = t;
  }

  protected hyper(): Record<string, number> {
    const { lr, beta1, beta2, eps, weightDecay } = this;
    return { lr, beta1, beta2, eps, weightDecay };
  }

  protected setHyper(h: Record<string, number>): void {
    for (const key of ['lr', 'eps', 'weightDecay']) checkNonNegative(key, h[key]);
    for (const key of ['beta1', 'beta2']) {
      if (!(h[key] >= 0 && h[key] < 1)) throw new Error(`${this.kind}: ${key} must be in [0, 1), got ${h[key]}`);
    }
    this.lr = h.lr;
    this.beta1 = h.beta1;
    this.beta2 = h.beta2;
    this.eps = h.eps;
    this.weightDecay = h.weightDecay;
  }
}
