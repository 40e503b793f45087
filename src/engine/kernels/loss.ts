// Classification losses over logits/log-probabilities [n, c] and integer targets.

/**
 * Softmax cross-entropy in one pass: per row logsumexp(x) − x[target], averaged over rows,
 * returned; and its gradient for an upstream of 1, (softmax(x) − onehot(target)) / n,
 * written into `dlogits` unless it is null (the backward only scales it by the upstream gradient).
 */
export function crossEntropyWithGrad(logits: Float32Array, targets: Int32Array, n: number, c: number, dlogits: Float32Array | null): number {
  let total = 0;
  const invN = 1 / n;
  for (let r = 0; r < n; r++) {
    const base = r * c;
    let m = -Infinity;
    for (let j = 0; j < c; j++) if (logits[base + j] > m) m = logits[base + j];
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(logits[base + j] - m);
    const t = targets[r];
    if (dlogits) {
      const inv = 1 / s;
      for (let j = 0; j < c; j++) {
        const p = Math.exp(logits[base + j] - m) * inv;
        dlogits[base + j] = (j === t ? p - 1 : p) * invN;
      }
    }
    total += m + Math.log(s) - logits[base + t];
  }
  return total / n;
}

/** −mean over rows of logProbs[r, target[r]]. */
export function nllRows(logProbs: Float32Array, targets: Int32Array, n: number, c: number): number {
  let total = 0;
  for (let r = 0; r < n; r++) total -= logProbs[r * c + targets[r]];
  return total / n;
}

/** dx[r, target[r]] −= scale. */
export function nllGrad(targets: Int32Array, n: number, c: number, scale: number, dx: Float32Array): void {
  for (let r = 0; r < n; r++) dx[r * c + targets[r]] -= scale;
}
