// 2-D convolution (PyTorch's cross-correlation), NCHW input, weight [O, C, kH, kW], as
// torch.nn.functional.conv2d with stride and zero padding (no dilation, no groups).
//
// im2col turns the whole batch into one matrix product (kernels/conv.ts):
//   forward   Y'  = W · cols                  [O, K]·[K, N·P]     (K = C·kH·kW, P = oH·oW)
//   backward  dW += G' · colsᵀ                [O, N·P]·[N·P, K]   (transB)
//             dcols = Wᵀ · G', dx += col2im    [K, O]·[O, N·P]     (transA)
// where G' is the output gradient in the [O, N·P] layout. All three run through matmulInto,
// so they use the WASM kernel and the worker pool when installed; im2col, col2im and the
// layout copies are plain loops (memory-bound, a fraction of the products' time).
import { isGradEnabled, result } from '../autograd';
import { batchToChannels, channelsToBatch, col2imAdd, im2col, sumChannelsInto, type ConvGeometry } from '../kernels/conv';
import { matmulInto } from '../kernels/matmul';
import { allocFloat32 } from '../storage';
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
  const { n, c, kH, kW, oH, oW } = g;
  const o = weight.shape[0];
  const k = c * kH * kW;
  const p = oH * oW;
  const width = n * p;

  const cols = allocFloat32(k * width);
  im2col(x.data, g, cols);
  const yT = allocFloat32(o * width);
  matmulInto({ a: weight.data, b: cols, c: yT, m: o, k, n: width, transA: false, transB: false });
  let y: Float32Array;
  if (n === 1) {
    // One sample: [O, P] is already NCHW.
    y = yT;
    if (bias) for (let oi = 0; oi < o; oi++) for (let i = oi * p, b = bias.data[oi]; i < (oi + 1) * p; i++) y[i] += b;
  } else {
    y = allocFloat32(n * o * p);
    channelsToBatch(yT, bias ? bias.data : null, n, o, p, y);
  }

  // The columns are needed again only for the weight's gradient.
  const savedCols = isGradEnabled() && weight.requiresGrad ? cols : null;
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return result(y, [n, o, oH, oW], 'conv2d', inputs, (grad, gradIn) => {
    const gx = gradIn(0);
    const gw = gradIn(1);
    const gb = bias ? gradIn(2) : null;
    if (gb) sumChannelsInto(grad, n, o, p, gb);
    if (!gx && !gw) return;
    let gT = grad;
    if (n > 1) {
      gT = allocFloat32(o * width);
      batchToChannels(grad, n, o, p, gT);
    }
    if (gw && savedCols) {
      matmulInto({ a: gT, b: savedCols, c: gw, m: o, k: width, n: k, transA: false, transB: true, accumulate: true });
    }
    if (gx) {
      const dcols = allocFloat32(k * width);
      matmulInto({ a: weight.data, b: gT, c: dcols, m: k, k: o, n: width, transA: true, transB: false });
      col2imAdd(dcols, g, gx);
    }
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
