// Dropout's mask: each element kept with probability 1 − p and then scaled by 1/(1 − p)
// (inverted dropout), so the expected output equals the input and evaluation needs no rescaling.
import type { Rng } from '../data/rng';

/** mask[i] = 1/(1 − p) with probability 1 − p, else 0; one draw from `rng` per element. */
export function dropoutMask(rng: Rng, p: number, mask: Float32Array): void {
  const scale = p < 1 ? 1 / (1 - p) : 0;
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < p ? 0 : scale;
}

/** out[i] = x[i] · mask[i] */
export function applyMask(x: Float32Array, mask: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * mask[i];
}

/** dx[i] += g[i] · mask[i] */
export function applyMaskGrad(g: Float32Array, mask: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < g.length; i++) dx[i] += g[i] * mask[i];
}
