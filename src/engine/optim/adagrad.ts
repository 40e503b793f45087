// Adagrad in torch.optim.Adagrad's formulas: each weight's step is divided by the root of the
// sum of all its squared gradients so far (eps added after the square root):
//   t += 1;  g += wd·p;  clr = lr / (1 + (t − 1)·lr_decay);  s += g²;  p −= clr·g / (√s + eps)
// Defaults as PyTorch: lr 1e-2, lr_decay 0, eps 1e-10, initial accumulator 0, no weight decay.
import type { Tensor } from '../tensor';
import { checkNonNegative, Optimizer } from './optimizer';

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  eps?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
}

export class Adagrad extends Optimizer {
  readonly kind = 'adagrad';
  protected readonly stateKeys = ['sum'];
  lrDecay: number;
  eps: number;
  weightDecay: number;
  initialAccumulatorValue: number;

  constructor(params: readonly Tensor[], options: AdagradOptions = {}) {
    super(params, options.lr ?? 1e-2);
    this.lrDecay = options.lrDecay ?? 0;
    this.eps = options.eps ?? 1e-10;
    this.weightDecay = options.weightDecay ?? 0;
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0;
    this.setHyper(this.hyper());
  }

  step(): void {
    const t = this.stepCount + 1;
    const { eps, weightDecay } = this;
    const clr = this.lr / (1 + (t - 1) * this.lrDecay);
    for (let i = 0; i < this.params.length; i++) {
      const param = this.params[i];
      if (!param.grad) continue;
      const p = param.data;
      const g = param.grad.data;
      const fresh = !this.state[i].has('sum');
      const s = this.buffer(i, 'sum');
      if (fresh && this.initialAccumulatorValue !== 0) s.fill(this.initialAccumulatorValue);
      for (let j = 0; j < p.length; j++) {
        const gj = weightDecay === 0 ? g[j] : g[j] + weightDecay * p[j];
        const sj = s[j] + gj * gj;
        s[j] = sj;
        p[j] -= (clr * gj) / (Math.sqrt(sj) + eps);
      }
    }
    this.stepCount = t;
  }

  protected hyper(): Record<string, number> {
    const { lr, lrDecay, eps, weightDecay, initialAccumulatorValue } = this;
    return { lr, lrDecay, eps, weightDecay, initialAccumulatorValue };
  }

  protected setHyper(h: Record<string, number>): void {
    for (const key of ['lr', 'lrDecay', 'eps', 'weightDecay', 'initialAccumulatorValue']) checkNonNegative(key, h[key]);
    this.lr = h.lr;
    this.lrDecay = h.lrDecay;
    this.eps = h.eps;
    this.weightDecay = h.weightDecay;
    this.initialAccumulatorValue = h.initialAccumulatorValue;
  }
}
