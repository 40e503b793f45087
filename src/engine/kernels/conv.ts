// Convolution as a matrix product (im2col): raw loops over Float32Array, no shapes objects
// beyond the geometry, no autograd. The heavy part, the product itself, goes through
// matmulInto (ops/conv.ts), i.e. the WASM kernel and the worker pool when installed.
//
// The whole batch is one matrix. Column j = (n, oh, ow) of `cols` holds, row by row
// (c, ki, kj), the input pixels output pixel (oh, ow) of sample n sees:
//   cols[(c·kH + ki)·kW + kj][n·P + oh·oW + ow] = x[n, c, oh·sH + ki − pH, ow·sW + kj − pW]  (0 in the padding)
// with P = oH·oW. Then Y' = W·cols is [O, N·P] (W viewed as [O, C·kH·kW]), one matmul for
// the batch; Y'[o, n·P + p] is y[n, o, p], so NCHW is one block copy away (`channelsToBatch`).
// For stride 1 the innermost loops copy contiguous runs of a row on both sides.

export interface ConvGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  oH: number;
  oW: number;
}

/** Output positions ow whose input column ow·s + k − p falls inside [0, size): [lo, hi). */
function validRange(out: number, size: number, k: number, stride: number, pad: number): [number, number] {
  const lo = Math.max(0, Math.ceil((pad - k) / stride));
  const hi = Math.min(out, Math.floor((size - 1 + pad - k) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Fills cols [C·kH·kW, N·oH·oW] from x [N, C, H, W] (overwrites every element). */
export function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { n, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW } = g;
  const plane = h * w;
  const outPlane = oH * oW;
  const width = n * outPlane;
  for (let ci = 0; ci < c; ci++) {
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++) {
        const row = ((ci * kH + ki) * kW + kj) * width;
        const [lo, hi] = validRange(oW, w, kj, sW, pW);
        const shift = kj - pW;
        for (let ni = 0; ni < n; ni++) {
          const src = (ni * c + ci) * plane;
          let dst = row + ni * outPlane;
          for (let oh = 0; oh < oH; oh++, dst += oW) {
            const ih = oh * sH + ki - pH;
            if (ih < 0 || ih >= h) {
              cols.fill(0, dst, dst + oW);
              continue;
            }
            const base = src + ih * w + shift;
            for (let ow = 0; ow < lo; ow++) cols[dst + ow] = 0;
            if (sW === 1) for (let ow = lo; ow < hi; ow++) cols[dst + ow] = x[base + ow];
            else for (let ow = lo; ow < hi; ow++) cols[dst + ow] = x[base + ow * sW];
            for (let ow = hi; ow < oW; ow++) cols[dst + ow] = 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: dx [N, C, H, W] += every column entry added back to the pixel it came from. */
export function col2imAdd(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { n, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW } = g;
  const plane = h * w;
  const outPlane = oH * oW;
  const width = n * outPlane;
  for (let ci = 0; ci < c; ci++) {
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++) {
        const row = ((ci * kH + ki) * kW + kj) * width;
        const [lo, hi] = validRange(oW, w, kj, sW, pW);
        const shift = kj - pW;
        for (let ni = 0; ni < n; ni++) {
          const dstPlane = (ni * c + ci) * plane;
          let src = row + ni * outPlane;
          for (let oh = 0; oh < oH; oh++, src += oW) {
            const ih = oh * sH + ki - pH;
            if (ih < 0 || ih >= h) continue;
            const base = dstPlane + ih * w + shift;
            if (sW === 1) for (let ow = lo; ow < hi; ow++) dx[base + ow] += cols[src + ow];
            else for (let ow = lo; ow < hi; ow++) dx[base + ow * sW] += cols[src + ow];
          }
        }
      }
    }
  }
}

/** y[n, o, p] = yT[o, n·P + p] + bias[o] (bias may be null): [O, N·P] → NCHW. */
export function channelsToBatch(yT: Float32Array, bias: Float32Array | null, n: number, o: number, p: number, y: Float32Array): void {
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) {
      const src = oi * n * p + ni * p;
      const dst = (ni * o + oi) * p;
      const b = bias ? bias[oi] : 0;
      for (let i = 0; i < p; i++) y[dst + i] = yT[src + i] + b;
    }
  }
}

/** gT[o, n·P + p] = g[n, o, p]: NCHW → [O, N·P] (the layout the weight-gradient matmuls take). */
export function batchToChannels(g: Float32Array, n: number, o: number, p: number, gT: Float32Array): void {
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) {
      const src = (ni * o + oi) * p;
      const dst = oi * n * p + ni * p;
      for (let i = 0; i < p; i++) gT[dst + i] = g[src + i];
    }
  }
}

/** db[o] += Σ_{n,p} g[n, o, p]. */
export function sumChannelsInto(g: Float32Array, n: number, o: number, p: number, db: Float32Array): void {
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) {
      const src = (ni * o + oi) * p;
      let s = 0;
      for (let i = 0; i < p; i++) s += g[src + i];
      db[oi] += s;
    }
  }
}
