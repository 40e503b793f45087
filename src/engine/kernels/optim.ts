// The optimizers' per-parameter update loops (torch.optim's formulas; see optim/adam.ts and
// optim/sgd.ts for the hyper-parameters). Numbers are float64 inside, rounded when stored.

/**
 * Adam: g += wd·p;  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;
 * p −= stepSize · m / (√v · invC2 + eps), with stepSize = lr / (1 − β1ᵗ), invC2 = 1 / √(1 − β2ᵗ).
 */
export function adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, beta1: number, beta2: number, stepSize: number, invC2: number, eps: number, weightDecay: number): void {
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let j = 0; j < p.length; j++) {
    const gj = weightDecay === 0 ? g[j] : g[j] + weightDecay * p[j];
    const mj = beta1 * m[j] + keep1 * gj;
    const vj = beta2 * v[j] + keep2 * gj * gj;
    m[j] = mj;
    v[j] = vj;
    p[j] -= (stepSize * mj) / (Math.sqrt(vj) * invC2 + eps);
  }
}

/**
 * SGD: d = g + wd·p;  buf = d on the first step, else momentum·buf + (1 − dampening)·d;
 * d = nesterov ? d + momentum·buf : buf;  p −= lr·d.  No buffer when momentum is 0.
 */
export function sgdUpdate(p: Float32Array, g: Float32Array, buf: Float32Array | null, lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean): void {
  for (let j = 0; j < p.length; j++) {
    let d = g[j] + weightDecay * p[j];
    if (buf) {
      buf[j] = first ? d : momentum * buf[j] + (1 - dampening) * d;
      d = nesterov ? d + momentum * buf[j] : buf[j];
    }
    p[j] -= lr * d;
  }
}
