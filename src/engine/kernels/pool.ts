// 2-D max and average pooling over NCHW planes, forward and gradient. Every (n, c) plane
// is pooled on its own, so the loops see [planes, H, W] → [planes, oH, oW].
import type { ConvGeometry } from './conv';

/** Pooling shares convolution's window geometry; `c` is unused (planes = n·c are passed flat). */
export type PoolGeometry = Omit<ConvGeometry, 'n' | 'c'> & { planes: number };

/**
 * out = the maximum of each window, padding counting as −∞; `argmax` gets the flat input
 * index of the winner: the first in row-major order on ties, as PyTorch's CPU kernel picks it.
 *
 * Compared as integers, without a branch per element: on activations a compare-and-branch
 * mispredicts often (ReLU outputs tie at 0 half the time), which measured 2× slower. The key
 * of a float is its bits for a clear sign and minus its magnitude bits for a set one, which
 * orders floats as numbers (−0 = +0); a NaN with a clear sign bit, as JavaScript makes it,
 * outranks every number, so it propagates as in PyTorch.
 */
export function maxPool(x: Float32Array, g: PoolGeometry, out: Float32Array, argmax: Int32Array): void {
  const { planes, h, w, kH, kW, sH, sW, pH, pW, oH, oW } = g;
  const bits = new Int32Array(x.buffer, x.byteOffset, x.length);
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = Math.max(0, oh * sH - pH);
      const rows = Math.min(h, oh * sH - pH + kH) - h0;
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = Math.max(0, ow * sW - pW);
        const at = windowArgmax(bits, base + h0 * w + w0, rows, Math.min(w, ow * sW - pW + kW) - w0, w);
        out[o] = x[at];
        argmax[o] = at;
      }
    }
  }
}

/** Index of the largest of rows × cols values starting at `start`, rows `w` apart (the first on ties). */
function windowArgmax(bits: Int32Array, start: number, rows: number, cols: number, w: number): number {
  let at = start;
  let best = orderKey(bits[start]);
  for (let r = 0, row = start; r < rows; r++, row += w) {
    for (let i = row, end = row + cols; i < end; i++) {
      const key = orderKey(bits[i]);
      const take = -((best < key) as unknown as number); // all ones where key is larger
      best = (key & take) | (best & ~take);
      at = (i & take) | (at & ~take);
    }
  }
  return at;
}

/** A float's bits → an int32 ordered as the floats are (−0 and +0 equal). */
function orderKey(b: number): number {
  const sign = b >> 31;
  return ((b & 0x7fffffff) ^ sign) - sign;
}

/** dx[argmax[o]] += g[o]. */
export function maxPoolGrad(grad: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  for (let o = 0; o < grad.length; o++) dx[argmax[o]] += grad[o];
}

/**
 * maxPoolGrad into a zeroed dx, without zeroing all of dx first (autograd's FirstGradSink):
 * each of the `planes` input planes (inPlane floats) is zeroed just before its outputs are
 * added into it, while it is in cache. A winner always lies in its own plane, so every element
 * ends as zeroing dx and then maxPoolGrad would leave it.
 */
export function maxPoolGradWrite(grad: Float32Array, argmax: Int32Array, planes: number, inPlane: number, dx: Float32Array): void {
  const outPlane = grad.length / planes;
  for (let p = 0; p < planes; p++) {
    dx.fill(0, p * inPlane, (p + 1) * inPlane);
    for (let o = p * outPlane; o < (p + 1) * outPlane; o++) dx[argmax[o]] += grad[o];
  }
}

/**
 * out = the mean of each window. With `countIncludePad` the divisor is the window's size
 * within the padded input (kH·kW in floor mode), else the number of real pixels in it.
 */
export function avgPool(x: Float32Array, g: PoolGeometry, countIncludePad: boolean, out: Float32Array): void {
  const { planes, h, w, kH, kW, sH, sW, pH, pW, oH, oW } = g;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = Math.max(0, oh * sH - pH);
      const h1 = Math.min(h, oh * sH - pH + kH);
      const padRows = Math.min(h + pH, oh * sH - pH + kH) - (oh * sH - pH);
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = Math.max(0, ow * sW - pW);
        const w1 = Math.min(w, ow * sW - pW + kW);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * w;
          for (let iw = w0; iw < w1; iw++) s += x[row + iw];
        }
        out[o] = s / avgDivisor(g, ow, padRows, h1 - h0, w1 - w0, countIncludePad);
      }
    }
  }
}

/** dx over each window += g / divisor (the adjoint of avgPool). */
export function avgPoolGrad(grad: Float32Array, g: PoolGeometry, countIncludePad: boolean, dx: Float32Array): void {
  const { planes, h, w, kH, kW, sH, sW, pH, pW, oH, oW } = g;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = Math.max(0, oh * sH - pH);
      const h1 = Math.min(h, oh * sH - pH + kH);
      const padRows = Math.min(h + pH, oh * sH - pH + kH) - (oh * sH - pH);
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = Math.max(0, ow * sW - pW);
        const w1 = Math.min(w, ow * sW - pW + kW);
        const v = grad[o] / avgDivisor(g, ow, padRows, h1 - h0, w1 - w0, countIncludePad);
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * w;
          for (let iw = w0; iw < w1; iw++) dx[row + iw] += v;
        }
      }
    }
  }
}

// PyTorch's divisor: the window clipped to the padded input, or to the real input.
function avgDivisor(g: PoolGeometry, ow: number, padRows: number, rows: number, cols: number, countIncludePad: boolean): number {
  if (!countIncludePad) return rows * cols;
  const start = ow * g.sW - g.pW;
  const padCols = Math.min(g.w + g.pW, start + g.kW) - start;
  return padRows * padCols;
}
