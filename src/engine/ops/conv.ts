// 2-D convolution (PyTorch's cross-correlation), NCHW input, weight [O, C, kH, kW], as
// torch.nn.functional.conv2d with stride and zero padding (no dilation, no groups).
// The work is im2col and three matrix products (kernels/conv.ts): the forward Y' = W·cols,
// and in backward dW += G'·colsᵀ and dx += col2im(Wᵀ·G'); the installed conv kernel runs them
// (with the worker pool on, in its WASM memory and on its threads).
import { result } from '../autograd';
import { getConvBackend, type ConvGeometry } from '../kernels/conv';
import { allocUninitialized } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape } from './dims';
import { outputSize, pair, type Size2 } from './window';

export interface Conv2dOptions {
  /** Default 1. */
  stride?: Size2;
  /** Zeros on each side; default 0. */
  padding?: Size2;
}

export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  const g = convGeometry(x, weight, bias, options);
  const o = weight.shape[0];
  const y = allocUninitialized(g.n * o * g.oH * g.oW);
  getConvBackend().forward(x.data, weight.data, bias ? bias.data : null, g, o, y);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return result(y, [g.n, o, g.oH, g.oW], 'conv2d', inputs, (grad, gradIn) => {
    getConvBackend().backward(x.data, weight.data, grad, g, o, gradIn(0), gradIn(1), bias ? gradIn(2) : null);
  });
}

function convGeometry(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): ConvGeometry {
  if (x.shape.length !== 4 || weight.shape.length !== 4) {
    throw new Error(`conv2d: expected input [N, C, H, W] and weight [O, C, kH, kW], got ${formatShape(x.shape)} and ${formatShape(weight.shape)}`);
  }
  const [n, c, h, w] = x.shape;
  const [o, wc, kH, kW] = weight.shape;
  if (wc !== c) {
    throw new Error(`conv2d: input has ${c} channels but weight ${formatShape(weight.shape)} expects ${wc}`);
  }
  if (o === 0 || kH === 0 || kW === 0) throw new Error(`conv2d: weight ${formatShape(weight.shape)} has an empty dimension`);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== o)) {
    throw new Error(`conv2d: bias must be [${o}], got ${formatShape(bias.shape)}`);
  }
  const [sH, sW] = pair(options.stride ?? 1, 'stride', 'conv2d', 1);
  const [pH, pW] = pair(options.padding ?? 0, 'padding', 'conv2d', 0);
  const oH = outputSize(h, kH, sH, pH, 'height', 'conv2d');
  const oW = outputSize(w, kW, sW, pW, 'width', 'conv2d');
  return { n, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW };
}
