// 2-D max and average pooling, as torch.nn.functional.max_pool2d / avg_pool2d in floor mode
// (ceil_mode=False, no dilation). Input [N, C, H, W] (or unbatched [C, H, W]); the stride
// defaults to the kernel size. Max pool's backward routes each gradient to the window's
// winner, recorded in the forward; avg pool's spreads it evenly over the window.
import { result } from '../autograd';
import { fusedKernels } from '../kernels/fused';
import { spanRecorder } from '../profile';
import { avgPool, avgPoolGrad, type PoolGeometry } from '../kernels/pool';
import { allocFloat32, allocInt32Uninitialized, allocUninitialized } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape } from './dims';
import { outputSize, pair, type Size2 } from './window';

export interface Pool2dOptions {
  /** Default: the kernel size. */
  stride?: Size2;
  /** Implicit padding on each side (−∞ for max, zeros for avg); at most half the kernel. Default 0. */
  padding?: Size2;
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count the zero padding in the divisor (PyTorch's default, true). */
  countIncludePad?: boolean;
}

export function maxPool2d(x: Tensor, kernelSize: Size2, options: Pool2dOptions = {}): Tensor {
  const g = poolGeometry(x, kernelSize, options, 'maxPool2d');
  const rec = spanRecorder(); // `npm run bench -- --profile` (profile.ts); null unless the bench installed one
  rec?.begin('maxpool.forward');
  // Both written whole by the kernel; inside a step scope both live in its arena (no garbage per step).
  const out = allocUninitialized(g.planes * g.oH * g.oW);
  const argmax = allocInt32Uninitialized(out.length);
  fusedKernels().maxPool(x.data, g, out, argmax);
  rec?.end();
  return result(out, outShape(x, g), 'maxPool2d', [x], (grad, gradIn, gradFirst) => {
    const r = spanRecorder();
    r?.begin('maxpool.backward');
    // A gradient seen the first time is zeroed a plane at a time as the winners are added, not all at once first.
    const first = gradFirst(0);
    if (first) fusedKernels().maxPoolGradWrite(grad, argmax, g.planes, g.h * g.w, first);
    else {
      const gx = gradIn(0);
      if (gx) fusedKernels().maxPoolGrad(grad, argmax, gx);
    }
    r?.end();
  });
}

export function avgPool2d(x: Tensor, kernelSize: Size2, options: AvgPool2dOptions = {}): Tensor {
  const g = poolGeometry(x, kernelSize, options, 'avgPool2d');
  const countIncludePad = options.countIncludePad ?? true;
  const rec = spanRecorder();
  rec?.begin('avgpool.forward');
  const out = allocFloat32(g.planes * g.oH * g.oW);
  avgPool(x.data, g, countIncludePad, out);
  rec?.end();
  return result(out, outShape(x, g), 'avgPool2d', [x], (grad, gradIn) => {
    const r = spanRecorder();
    r?.begin('avgpool.backward');
    const gx = gradIn(0);
    if (gx) avgPoolGrad(grad, g, countIncludePad, gx);
    r?.end();
  });
}

function outShape(x: Tensor, g: PoolGeometry): number[] {
  return [...x.shape.slice(0, -2), g.oH, g.oW];
}

/** Kernel, stride and padding as pairs, checked as PyTorch does (padding at most half the kernel). */
export interface PoolWindow {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
}

export function poolWindow(kernelSize: Size2, options: Pool2dOptions, op: string): PoolWindow {
  const k = pair(kernelSize, 'kernelSize', op, 1);
  const stride = pair(options.stride ?? k, 'stride', op, 1);
  const padding = pair(options.padding ?? 0, 'padding', op, 0);
  if (2 * padding[0] > k[0] || 2 * padding[1] > k[1]) {
    throw new Error(`${op}: padding ${JSON.stringify(options.padding)} must be at most half the kernel size ${JSON.stringify(kernelSize)}`);
  }
  return { kernelSize: k, stride, padding };
}

function poolGeometry(x: Tensor, kernelSize: Size2, options: Pool2dOptions, op: string): PoolGeometry {
  if (x.shape.length !== 3 && x.shape.length !== 4) {
    throw new Error(`${op}: expected input [N, C, H, W] or [C, H, W], got ${formatShape(x.shape)}`);
  }
  const {
    kernelSize: [kH, kW],
    stride: [sH, sW],
    padding: [pH, pW],
  } = poolWindow(kernelSize, options, op);
  const h = x.shape[x.shape.length - 2];
  const w = x.shape[x.shape.length - 1];
  const planes = x.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const oH = outputSize(h, kH, sH, pH, 'height', op);
  const oW = outputSize(w, kW, sW, pW, 'width', op);
  return { planes, h, w, kH, kW, sH, sW, pH, pW, oH, oW };
}
