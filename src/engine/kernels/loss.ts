// Classification losses over logits/log-probabilities [n, c] and integer targets.

/**
 * Fused cross-entropy: per row logsumexp(x) − x[target], averaged over rows. Writes the
 * softmax probabilities into `probs` for the backward pass. Returns the mean loss.
 */
export function crossEntropyRows(
  logits: Float32Array, targets: Int32Array, n: number, c: number, probs: Float32Array,
): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    const base = r * c;
    let m = -Infinity;
    for (let j = 0; j < c; j++) if (logits[base + j] > m) m = logits[base + j];
    let s = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(logits[base + j] - m);
      probs[base + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < c; j++) probs[base + j] *= inv;
    total += m + Math.log(s) - logits[base + targets[r]];
  }
  return total / n;
}

/** dx += scale · (probs − onehot(target)), with scale = upstream / n. */
export function crossEntropyGrad(
  probs: Float32Array, targets: Int32Array, n: number, c: number, scale: number, dx: Float32Array,
): void {
  for (let r = 0; r < n; r++) {
    const base = r * c;
    for (let j = 0; j < c; j++) dx[base + j] += scale * probs[base + j];
    dx[base + targets[r]] -= scale;
  }
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
