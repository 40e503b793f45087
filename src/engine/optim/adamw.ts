// AdamW in torch.optim.AdamW's formulas: the weight decay is decoupled from the gradient
// (Loshchilov & Hutter), applied to the parameter before the Adam update:
//   p ← p·(1 − lr·wd);  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
//   p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
// Defaults as PyTorch: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2.
import type { Tensor } from '../tensor';
import { Adam, type AdamOptions } from './adam';
import type { OptimizerKind } from './optimizer';

export type AdamWOptions = AdamOptions;

/** Adam's state, hyper-parameters and checks; only the step differs (and the default weight decay). */
export class AdamW extends Adam {
  override readonly kind: OptimizerKind = 'adamw';

  constructor(params: readonly Tensor[], options: AdamWOptions = {}) {
    super(params, options, 1e-2);
  }

  override step(): void {
    const t = this.stepCount + 1;
    const { lr, beta1, beta2, eps } = this;
    const decay = 1 - lr * this.weightDecay;
    const stepSize = lr / (1 - beta1 ** t);
    const invCorrection2Sqrt = 1 / Math.sqrt(1 - beta2 ** t);
    const keep1 = 1 - beta1;
    const keep2 = 1 - beta2;
    this.params.forEach((param, i) => {
      if (!param.grad) return;
      const p = param.data;
      const g = param.grad.data;
      const m = this.buffer(i, 'exp_avg');
      const v = this.buffer(i, 'exp_avg_sq');
      for (let j = 0; j < p.length; j++) {
        const gj = g[j];
        const mj = beta1 * m[j] + keep1 * gj;
        const vj = beta2 * v[j] + keep2 * gj * gj;
        m[j] = mj;
        v[j] = vj;
        // Math.fround: PyTorch stores the decayed parameter (float32) before the update.
        p[j] = Math.fround(p[j] * decay) - (stepSize * mj) / (Math.sqrt(vj) * invCorrection2Sqrt + eps);
      }
    });
    this.stepCount = t;
  }
}
