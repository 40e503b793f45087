// Activations with a setting (slope, alpha, beta), forward and gradient, in PyTorch's
// formulas. Each gradient adds into dx (dx[i] += g[i] · f'(x[i])).
import { erf } from './erf';

/** x > 0 ? x : slope·x */
export function leakyRelu(x: Float32Array, slope: number, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : slope * x[i];
}

export function leakyReluGrad(g: Float32Array, x: Float32Array, slope: number, dx: Float32Array): void {
  for (let i = 0; i < g.length; i++) dx[i] += x[i] > 0 ? g[i] : slope * g[i];
}

/** x·Φ(x) = x/2 · (1 + erf(x/√2)), the exact (erf) GELU. */
export function gelu(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = 0.5 * x[i] * (1 + erf(x[i] * Math.SQRT1_2));
}

/** d/dx x·Φ(x) = Φ(x) + x·φ(x). */
export function geluGrad(g: Float32Array, x: Float32Array, dx: Float32Array): void {
  const invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
  for (let i = 0; i < g.length; i++) {
    const v = x[i];
    const cdf = 0.5 * (1 + erf(v * Math.SQRT1_2));
    dx[i] += g[i] * (cdf + v * invSqrt2Pi * Math.exp(-0.5 * v * v));
  }
}

/** x > 0 ? x : α·(eˣ − 1) */
export function elu(x: Float32Array, alpha: number, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : alpha * Math.expm1(x[i]);
}

export function eluGrad(g: Float32Array, x: Float32Array, alpha: number, dx: Float32Array): void {
  for (let i = 0; i < g.length; i++) dx[i] += x[i] > 0 ? g[i] : g[i] * alpha * Math.exp(x[i]);
}

/** log(1 + e^(βx))/β, or x itself where βx > threshold (PyTorch's switch to the linear regime). */
export function softplus(x: Float32Array, beta: number, threshold: number, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const bx = beta * x[i];
    out[i] = bx > threshold ? x[i] : softplusOf(bx) / beta;
  }
}

/** The derivative is σ(βx), and 1 in the linear regime. */
export function softplusGrad(g: Float32Array, x: Float32Array, beta: number, threshold: number, dx: Float32Array): void {
  for (let i = 0; i < g.length; i++) {
    const bx = beta * x[i];
    dx[i] += bx > threshold ? g[i] : g[i] / (1 + Math.exp(-bx));
  }
}

// log(1 + eᶻ) without overflow for large z or cancellation for very negative z.
function softplusOf(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
