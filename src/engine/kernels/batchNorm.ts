// Batch normalisation loops over x viewed as [N, C, S] (S = H·W for images, 1 for [N, C]):
// per-channel statistics over the N·S values of a channel, the affine transform, and the
// gradients. Sums run in float64 (JS numbers), as PyTorch's CPU kernel accumulates in double.

export interface ChannelLayout {
  n: number;
  c: number;
  s: number;
}

/** Per-channel mean and biased variance (two passes: the mean first, then squared deviations). */
export function channelStats(x: Float32Array, { n, c, s }: ChannelLayout, mean: Float64Array, variance: Float64Array): void {
  const count = n * s;
  for (let ci = 0; ci < c; ci++) {
    let sum = 0;
    for (let ni = 0; ni < n; ni++) for (let i = (ni * c + ci) * s, end = i + s; i < end; i++) sum += x[i];
    const m = sum / count;
    let sq = 0;
    for (let ni = 0; ni < n; ni++) {
      for (let i = (ni * c + ci) * s, end = i + s; i < end; i++) {
        const d = x[i] - m;
        sq += d * d;
      }
    }
    mean[ci] = m;
    variance[ci] = sq / count;
  }
}

/** out = (x − mean)·invstd·weight + bias, channel by channel (weight/bias null: 1 and 0). */
export function normalize(x: Float32Array, { n, c, s }: ChannelLayout, mean: Float64Array, invstd: Float64Array, weight: Float32Array | null, bias: Float32Array | null, out: Float32Array): void {
  for (let ci = 0; ci < c; ci++) {
    const scale = invstd[ci] * (weight ? weight[ci] : 1);
    const shift = (bias ? bias[ci] : 0) - mean[ci] * scale;
    for (let ni = 0; ni < n; ni++) for (let i = (ni * c + ci) * s, end = i + s; i < end; i++) out[i] = x[i] * scale + shift;
  }
}

/**
 * Gradients of normalize, PyTorch's batch_norm_backward. With batch statistics (`batchStats`)
 * the mean and variance depend on x too:
 *   dx += w·invstd·(g − Σg/M − x̂·Σ(g·x̂)/M),  x̂ = (x − mean)·invstd, M = N·S;
 * with fixed (running) statistics dx += w·invstd·g. Always dw += Σ g·x̂, db += Σ g.
 */
export function normalizeGrad(
  g: Float32Array,
  x: Float32Array,
  { n, c, s }: ChannelLayout,
  mean: Float64Array,
  invstd: Float64Array,
  weight: Float32Array | null,
  batchStats: boolean,
  dx: Float32Array | null,
  dw: Float32Array | null,
  db: Float32Array | null,
): void {
  const count = n * s;
  for (let ci = 0; ci < c; ci++) {
    const m = mean[ci];
    let sumG = 0;
    let dot = 0; // Σ g·(x − mean)
    for (let ni = 0; ni < n; ni++) {
      for (let i = (ni * c + ci) * s, end = i + s; i < end; i++) {
        sumG += g[i];
        dot += g[i] * (x[i] - m);
      }
    }
    const is = invstd[ci];
    if (dw) dw[ci] += dot * is;
    if (db) db[ci] += sumG;
    if (!dx) continue;
    const scale = is * (weight ? weight[ci] : 1);
    if (batchStats) {
      const k = (dot * is * is) / count;
      const gMean = sumG / count;
      for (let ni = 0; ni < n; ni++) {
        for (let i = (ni * c + ci) * s, end = i + s; i < end; i++) dx[i] += (g[i] - gMean - (x[i] - m) * k) * scale;
      }
    } else {
      for (let ni = 0; ni < n; ni++) for (let i = (ni * c + ci) * s, end = i + s; i < end; i++) dx[i] += g[i] * scale;
    }
  }
}
