// Softmax and log-softmax along one axis of [outer, dim, inner], stabilised by the maximum
// (so logits in the hundreds neither overflow nor lose the small entries), and their gradients.
import type { AxisLayout } from './reduce';

/** out = softmax(x) when `log` is false, log_softmax(x) when true. */
export function softmaxAxis(x: Float32Array, { outer, dim, inner }: AxisLayout, log: boolean, out: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * dim * inner + i;
      const end = start + dim * inner;
      let m = -Infinity;
      for (let at = start; at < end; at += inner) if (x[at] > m) m = x[at];
      let s = 0;
      for (let at = start; at < end; at += inner) s += Math.exp(x[at] - m);
      if (log) {
        const logSum = Math.log(s);
        for (let at = start; at < end; at += inner) out[at] = x[at] - m - logSum;
      } else {
        const inv = 1 / s;
        for (let at = start; at < end; at += inner) out[at] = Math.exp(x[at] - m) * inv;
      }
    }
  }
}

/** dx += y ⊙ (g − Σ g⊙y), the softmax Jacobian-vector product (y = softmax output). */
export function softmaxGrad(g: Float32Array, y: Float32Array, { outer, dim, inner }: AxisLayout, dx: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * dim * inner + i;
      const end = start + dim * inner;
      let dot = 0;
      for (let at = start; at < end; at += inner) dot += g[at] * y[at];
      for (let at = start; at < end; at += inner) dx[at] += y[at] * (g[at] - dot);
    }
  }
}

/** dx += g − exp(y) Σ g, the log-softmax Jacobian-vector product (y = log-softmax output). */
export function logSoftmaxGrad(g: Float32Array, y: Float32Array, { outer, dim, inner }: AxisLayout, dx: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * dim * inner + i;
      const end = start + dim * inner;
      let total = 0;
      for (let at = start; at < end; at += inner) total += g[at];
      for (let at = start; at < end; at += inner) dx[at] += g[at] - Math.exp(y[at]) * total;
    }
  }
}
