// 2-D max and average pooling over NCHW planes, forward and gradient. Every (n, c) plane
// is pooled on its own, so the loops see [planes, H, W] → [planes, oH, oW].
import type { ConvGeometry } from './conv';

/** Pooling shares convolution's window geometry; `c` is unused (planes = n·c are passed flat). */
export type PoolGeometry = Omit<ConvGeometry, 'n' | 'c'> & { planes: number };

/**
 * out = the maximum of each window, padding counting as −∞; `argmax` gets the flat input
 * index of the winner (the first in row-major order on ties; a NaN wins, as in PyTorch's CPU kernel).
 */
export function maxPool(x: Float32Array, g: PoolGeometry, out: Float32Array, argmax: Int32Array): void {
  const { planes, h, w, kH, kW, sH, sW, pH, pW, oH, oW } = g;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = Math.max(0, oh * sH - pH);
      const h1 = Math.min(h, oh * sH - pH + kH);
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = Math.max(0, ow * sW - pW);
        const w1 = Math.min(w, ow * sW - pW + kW);
        let best = -Infinity;
        let at = base + h0 * w + w0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * w;
          for (let iw = w0; iw < w1; iw++) {
            const v = x[row + iw];
            if (v > best || v !== v) {
              best = v;
              at = row + iw;
            }
          }
        }
        out[o] = best;
        argmax[o] = at;
      }
    }
  }
}

/** dx[argmax[o]] += g[o]. */
export function maxPoolGrad(grad: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  for (let o = 0; o < grad.length; o++) dx[argmax[o]] += grad[o];
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
