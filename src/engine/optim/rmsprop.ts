// RMSprop in torch.optim.RMSprop's formulas (eps added after the square root; the average of
// squares starts at zero, so the first steps are large, as PyTorch's are):
//   g += wd·p;  v = α·v + (1 − α)·g²;  centered: ḡ = α·ḡ + (1 − α)·g, d = √(v − ḡ²) + eps, else d = √v + eps
//   momentum > 0: buf = μ·buf + g/d, p −= lr·buf;  else p −= lr·g/d
// Defaults as PyTorch: lr 1e-2, alpha 0.99, eps 1e-8, no momentum, not centered, no weight decay.
// State: square_avg always, momentum_buffer only with momentum, grad_avg only when centered.
import type { Tensor } from '../tensor';
import { checkNonNegative, Optimizer } from './optimizer';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  readonly kind = 'rmsprop';
  protected readonly stateKeys = ['square_avg', 'momentum_buffer', 'grad_avg'];
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;

  constructor(params: readonly Tensor[], options: RMSpropOptions = {}) {
    super(params, options.lr ?? 1e-2);
    this.alpha = options.alpha ?? 0.99;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.momentum = options.momentum ?? 0;
    this.centered = options.centered ?? false;
    this.setHyper(this.hyper());
  }

  step(): void {
    const { lr, alpha, eps, weightDecay, momentum, centered } = this;
    const keep = 1 - alpha;
    for (let i = 0; i < this.params.length; i++) {
      const param = this.params[i];
      if (!param.grad) continue;
      const p = param.data;
      const g = param.grad.data;
      const v = this.buffer(i, 'square_avg');
      const mean = centered ? this.buffer(i, 'grad_avg') : null;
      const buf = momentum > 0 ? this.buffer(i, 'momentum_buffer') : null;
      for (let j = 0; j < p.length; j++) {
        const gj = weightDecay === 0 ? g[j] : g[j] + weightDecay * p[j];
        const vj = alpha * v[j] + keep * gj * gj;
        v[j] = vj;
        let d: number;
        if (mean) {
          const mj = alpha * mean[j] + keep * gj;
          mean[j] = mj;
          d = Math.sqrt(vj - mj * mj) + eps;
        } else {
          d = Math.sqrt(vj) + eps;
        }
        if (buf) {
          const bj = momentum * buf[j] + gj / d;
          buf[j] = bj;
          p[j] -= lr * bj;
        } else {
          p[j] -= (lr * gj) / d;
        }
      }
    }
    this.stepCount++;
  }

  protected hyper(): Record<string, number> {
    const { lr, alpha, eps, weightDecay, momentum } = this;
    return { lr, alpha, eps, weightDecay, momentum, centered: this.centered ? 1 : 0 };
  }

  protected setHyper(h: Record<string, number>): void {
    for (const key of ['lr', 'eps', 'weightDecay', 'momentum']) checkNonNegative(key, h[key]);
    if (!(h.alpha >= 0 && h.alpha < 1)) throw new Error(`rmsprop: alpha must be in [0, 1), got ${h.alpha}`);
    this.lr = h.lr;
    this.alpha = h.alpha;
    this.eps = h.eps;
    this.weightDecay = h.weightDecay;
    this.momentum = h.momentum;
    this.centered = h.centered !== 0;
    // A buffer these settings no longer use goes (and one turned back on starts afresh, at zero, as PyTorch's would not
    // have it either): the state holds exactly what the registry's rule says.
    if (this.momentum === 0) this.dropState('momentum_buffer');
    if (!this.centered) this.dropState('grad_avg');
  }
}
