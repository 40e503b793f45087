// Activations. ReLU's backward is a mask on its output (no stored copy of the input); the
// ones with a setting (leakyRelu, gelu, elu, softplus) take PyTorch's defaults and formulas.
import { result } from '../autograd';
import { elu as eluKernel, eluGrad, gelu as geluKernel, geluGrad, leakyRelu as leakyReluKernel, leakyReluGrad, softplus as softplusKernel, softplusGrad } from '../kernels/activations';
import { fusedKernels } from '../kernels/fused';
import { spanRecorder } from '../profile';
import { allocFloat32, allocUninitialized } from '../storage';
import type { Tensor } from '../tensor';
import { unaryOp } from './unary';

/** The hot activation of CNNs gets the fused kernels' pass (WASM SIMD on the step's arena). */
export function relu(x: Tensor): Tensor {
  const rec = spanRecorder(); // `npm run bench -- --profile` (profile.ts); null unless the bench installed one
  rec?.begin('relu.forward');
  const out = allocUninitialized(x.size);
  fusedKernels().relu(x.data, out);
  rec?.end();
  return result(out, x.shape, 'relu', [x], (g, gradIn, gradFirst) => {
    const r = spanRecorder();
    r?.begin('relu.backward');
    // A gradient seen the first time is written, not zero-filled and then added to.
    const first = gradFirst(0);
    if (first) fusedKernels().reluGradWrite(g, out, first);
    else {
      const gx = gradIn(0);
      if (gx) fusedKernels().reluGrad(g, out, gx);
    }
    r?.end();
  });
}

export function tanh(x: Tensor): Tensor {
  return unaryOp('tanh', x);
}

export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', x);
}

/** F.leaky_relu(x, negative_slope=0.01) */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkFinite('leakyRelu', 'negativeSlope', negativeSlope);
  const out = allocFloat32(x.size);
  leakyReluKernel(x.data, negativeSlope, out);
  return result(out, x.shape, 'leakyRelu', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) leakyReluGrad(g, x.data, negativeSlope, gx);
  });
}

/** F.gelu(x): the exact form x·Φ(x), with Φ through erf. */
export function gelu(x: Tensor): Tensor {
  const out = allocFloat32(x.size);
  geluKernel(x.data, out);
  return result(out, x.shape, 'gelu', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) geluGrad(g, x.data, gx);
  });
}

/** F.elu(x, alpha=1) */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkFinite('elu', 'alpha', alpha);
  const out = allocFloat32(x.size);
  eluKernel(x.data, alpha, out);
  return result(out, x.shape, 'elu', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) eluGrad(g, x.data, alpha, gx);
  });
}

/** F.softplus(x, beta=1, threshold=20) */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  checkFinite('softplus', 'beta', beta);
  checkFinite('softplus', 'threshold', threshold);
  if (beta === 0) throw new Error('softplus: beta must not be 0');
  const out = allocFloat32(x.size);
  softplusKernel(x.data, beta, threshold, out);
  return result(out, x.shape, 'softplus', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) softplusGrad(g, x.data, beta, threshold, gx);
  });
}

function checkFinite(op: string, name: string, value: number): void {
  if (!Number.isFinite(value)) throw new Error(`${op}: ${name} must be a finite number, got ${value}`);
}
