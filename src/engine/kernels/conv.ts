// Convolution as a matrix product (im2col): raw loops over Float32Array, no shape objects
// beyond the geometry, no autograd.
//
// A slice of the batch (forEachSlice) is one matrix. Column j = (n, oh, ow) of `cols` holds, row by row
// (c, ki, kj), the input pixels output pixel (oh, ow) of sample n sees:
//   cols[(c·kH + ki)·kW + kj][n·P + oh·oW + ow] = x[n, c, oh·sH + ki − pH, ow·sW + kj − pW]  (0 in the padding)
// with P = oH·oW (K = C·kH·kW rows). Then, with W viewed as [O, K]:
//   forward   Y'  = W · cols                  [O, K]·[K, N·P]
//   backward  dW += G' · colsᵀ                [O, N·P]·[N·P, K]   (dot products of rows, dotRows.ts)
//             dcols = Wᵀ · G', dx += col2im    [K, O]·[O, N·P]     (transA)
// where Y' and G' are the output and its gradient in the [O, N·P] layout: Y'[o, n·P + p] is
// y[n, o, p], so NCHW is one block copy away (`channelsToBatch`).
//
// Two implementations behind one switch, like matmul's: `convReference` runs these loops in
// TypeScript, the products through matmulInto and the weight gradient through dotRowsInto
// (the WASM kernel's twin: k is long and O, K small, a shape gemm's tiles fit badly); the
// worker pool installs one that does the same steps inside its WASM memory
// (parallel/poolConv.ts), so the column matrix never has to be copied between JavaScript and WASM.
import { convDetail, spanRecorder } from '../profile';
import { allocFloat32 } from '../storage';
import { dotRowsInto } from './dotRows';
import { matmulInto } from './matmul';

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
  if (g.sH === 1 && g.sW === 1 && g.oW === g.w) im2colSameWidth(x, g, cols);
  else im2colRows(x, g, cols);
}

// The general case, one output row at a time.
function im2colRows(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
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

// Stride 1 with an output as wide as the input ("same" padding, the usual CNN layer): each
// row of cols, per sample, is the input plane shifted by (ki − pH)·W + (kj − pW), so one long
// copy fills it; only the columns that wrapped around a row edge, and rows past the top or
// bottom, are then zeroed. Short rows (14 or 28 pixels) make this several times faster than
// copying row by row.
function im2colSameWidth(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { n, c, h, w, kH, kW, pH, pW, oH } = g;
  const plane = h * w;
  const outPlane = oH * w;
  const width = n * outPlane;
  for (let ci = 0; ci < c; ci++) {
    for (let ki = 0; ki < kH; ki++) {
      const dh = ki - pH;
      const top = Math.max(0, -dh); // output rows [top, bottom) read input rows inside the plane
      const bottom = Math.min(oH, h - dh);
      for (let kj = 0; kj < kW; kj++) {
        const dw = kj - pW;
        const lo = Math.max(0, -dw); // columns [lo, hi) read inside their own row
        const hi = Math.min(w, w - dw);
        const row = ((ci * kH + ki) * kW + kj) * width;
        for (let ni = 0; ni < n; ni++) {
          const dst = row + ni * outPlane;
          if (bottom <= top) {
            cols.fill(0, dst, dst + outPlane);
            continue;
          }
          // From the first valid pixel of the first valid row to the last of the last row.
          const first = top * w + lo;
          const end = (bottom - 1) * w + hi;
          const src = (ni * c + ci) * plane + dh * w + dw;
          cols.fill(0, dst, dst + first);
          cols.set(x.subarray(src + first, src + end), dst + first);
          cols.fill(0, dst + end, dst + outPlane);
          if (lo > 0 || hi < w) {
            for (let oh = top; oh < bottom; oh++) {
              const r = dst + oh * w;
              for (let ow = 0; ow < lo; ow++) cols[r + ow] = 0;
              for (let ow = hi; ow < w; ow++) cols[r + ow] = 0;
            }
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

/**
 * db[o] += Σ_{n,p} g[n, o, p]: per (n, o) row a float64 sum (sumRow) added to db[o] and rounded
 * once, so a batch summed in slices, in order, gives the same bits as summed whole.
 */
export function sumChannelsInto(g: Float32Array, n: number, o: number, p: number, db: Float32Array): void {
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) db[oi] += sumRow(g, (ni * o + oi) * p, p);
  }
}

/**
 * Σ g[start + i] for i < p in float64, in the order of the WASM kernel's SIMD lanes
 * (conv.as.ts sumChannels): eight partial sums s_j of the floats i ≡ j (mod 8) below p rounded
 * down to a multiple of 8, combined as ((s0+s2)+(s4+s6)) + ((s1+s3)+(s5+s7)), then the rest
 * one by one. Eight independent sums also make this loop about as fast as one.
 */
export function sumRow(g: Float32Array, start: number, p: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  const end8 = start + (p & ~7);
  let i = start;
  for (; i < end8; i += 8) {
    s0 += g[i];
    s1 += g[i + 1];
    s2 += g[i + 2];
    s3 += g[i + 3];
    s4 += g[i + 4];
    s5 += g[i + 5];
    s6 += g[i + 6];
    s7 += g[i + 7];
  }
  let sum = s0 + s2 + (s4 + s6) + (s1 + s3 + (s5 + s7));
  for (; i < start + p; i++) sum += g[i];
  return sum;
}

export interface ConvKernel {
  /** y [N, O, oH, oW] = x ⋆ w + bias (overwrites y); w is [O, C, kH, kW], bias [O] or null. */
  forward(x: Float32Array, w: Float32Array, bias: Float32Array | null, g: ConvGeometry, o: number, y: Float32Array): void;
  /** gx += ∂/∂x, gw += ∂/∂w and gb += ∂/∂bias of Σ y·grad (a null target is skipped). */
  backward(x: Float32Array, w: Float32Array, grad: Float32Array, g: ConvGeometry, o: number, gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null): void;
}

/**
 * The column matrix is built for a slice of the batch at a time, at most this many floats
 * (512 KiB) unless one sample alone needs more: a step's memory then stays near its
 * activations' size. (A 64-channel 9×9 convolution on 28×28 images has 64·81 × 784 columns
 * per sample, 16 MB; for a whole batch of 32 that was 520 MB, where its output is 6 MB.)
 * The size is for the cache, not only the memory: half a core's 1 MiB L2 here, so a slice's
 * columns stay in it from im2col to the product that reads them, with room for the product's
 * other operands. Against the 16 MiB it was, that made the cnn preset's step at batch 256
 * about 1.3× as fast and its batch 32 about 1.05×, with no loss from the extra slices on two
 * threads (README, "Where a training step's time goes"; 1 MiB measured no better, 256 KiB
 * the same). The app's cost estimate (shared/model/convSlices.ts) repeats this number; a
 * test holds them equal.
 */
export const COLS_SLICE_FLOATS = 1 << 17;

/** Samples per slice of the batch: as many as keep the column matrix within COLS_SLICE_FLOATS, at least one. */
export function convSliceSamples(g: ConvGeometry): number {
  const perSample = g.c * g.kH * g.kW * g.oH * g.oW;
  return Math.max(1, Math.min(g.n, Math.floor(COLS_SLICE_FLOATS / perSample)));
}

/**
 * Calls `body(start, count)` for each slice [start, start + count) of the batch, in order.
 * The forward pass and the input gradient are per sample, so slicing leaves every sum as it
 * was (bit for bit); the weight gradient is summed by groups (see convPlan).
 */
export function forEachSlice(g: ConvGeometry, body: (start: number, count: number, slice: ConvGeometry) => void): void {
  const step = convSliceSamples(g);
  for (let start = 0; start < g.n; start += step) {
    const count = Math.min(step, g.n - start);
    body(start, count, count === g.n ? g : { ...g, n: count });
  }
}

/**
 * At most this many groups of samples. A group is the unit the worker pool shares out (one
 * block of a convolution task), so there must be a few per thread for balance; and each group
 * sums its own weight gradient, O·C·kH·kW floats, so not many more.
 */
export const MAX_CONV_GROUPS = 8;

/** How a convolution over a batch is cut: `groups` runs of consecutive samples, each in slices of at most `slice` samples. */
export interface ConvPlan {
  slice: number;
  groups: number;
}

/**
 * The plan depends on the geometry alone, never on the number of threads, so every pool size
 * (and the reference) sums the weight gradient the same way: per group, slice by slice from
 * zero; then the groups' sums added to the gradient in group order (addGroupSums). The
 * forward pass and the input gradient are per sample, and no grouping changes them.
 * The groups hold the batch's samples as evenly as whole samples allow, so two threads get
 * equal shares: cut by whole slices instead (LeNet's first layer at batch 32: slices of 6, 6,
 * 6, 6, 6 and 2 samples), one thread had 18 samples to the other's 14.
 */
export function convPlan(g: ConvGeometry): ConvPlan {
  return { slice: convSliceSamples(g), groups: Math.min(g.n, MAX_CONV_GROUPS) };
}

/** Where part `i` of `parts` of the run [start, start + count) begins: parts as even as whole samples allow. */
export function evenCut(start: number, count: number, parts: number, i: number): number {
  return start + Math.floor((i * count) / parts);
}

/** How many slices a group of `count` samples is cut into: as few as hold at most `slice` samples each. */
export function groupSliceCount(count: number, slice: number): number {
  return Math.ceil(count / slice);
}

/**
 * gw[j] += sums[0][j] + sums[1][j] + … (the groups' weight-gradient sums, `size` floats each,
 * back to back), added in group order in float64 and rounded once.
 */
export function addGroupSums(sums: Float32Array, groups: number, size: number, gw: Float32Array): void {
  for (let j = 0; j < size; j++) {
    let s = gw[j];
    for (let gi = 0; gi < groups; gi++) s += sums[gi * size + j];
    gw[j] = s;
  }
}

/**
 * A grow-only buffer for arrays that live within one call. `take` hands out its first `length`
 * elements (contents undefined); the previous taker must be done with them. A fresh
 * multi-megabyte array costs more than the product it feeds: the allocator hands it out
 * unmapped and every page faults on first write (~3 ms per 5 MB here, against ~0.3 ms to
 * fill a warm buffer).
 */
class Scratch {
  private buffer = allocFloat32(0);

  take(length: number): Float32Array {
    if (this.buffer.length < length) this.buffer = allocFloat32(length);
    return this.buffer.subarray(0, length);
  }
}

/** cols and dcols ([K, n·P] for a slice of n samples); Y' and G' ([O, n·P]). Each pass needs one of each at once. */
const colsScratch = new Scratch();
const layoutScratch = new Scratch();
/** The weight gradient's per-group sums ([groups, O, K]). */
const sumsScratch = new Scratch();

/**
 * The TypeScript loops above with the products through matmulInto (the weight gradient
 * through dotRowsInto), a slice of the batch at a time. The column matrix lives only within a
 * call, so backward rebuilds it (one more im2col) rather than keeping a multi-megabyte array
 * alive from the forward pass.
 */
export const convReference: ConvKernel = {
  forward(x, w, bias, g, o, y) {
    const k = g.c * g.kH * g.kW;
    const p = g.oH * g.oW;
    const inSample = g.c * g.h * g.w;
    forEachSlice(g, (start, count, s) => {
      const width = count * p;
      const xs = x.subarray(start * inSample, (start + count) * inSample);
      const ys = y.subarray(start * o * p, (start + count) * o * p);
      const cols = colsScratch.take(k * width);
      // Spans for `npm run bench -- --profile` (profile.ts); untimed unless the bench installed a recorder.
      const rec = spanRecorder();
      const at = rec ? convDetail(g.c, o, g.kH, g.kW, g.h, g.w, g.oH, g.oW) : undefined;
      rec?.begin('conv.im2col.forward', at);
      im2col(xs, s, cols);
      rec?.end();
      // One sample: [O, P] is already NCHW, so the product goes straight into y.
      const yT = count === 1 ? ys : layoutScratch.take(o * width);
      rec?.begin('conv.gemm.forward', at);
      matmulInto({ a: w, b: cols, c: yT, m: o, k, n: width, transA: false, transB: false });
      rec?.end();
      rec?.begin('conv.layout.forward', at);
      channelsToBatch(yT, bias, count, o, p, ys);
      rec?.end();
    });
  },

  backward(x, w, grad, g, o, gx, gw, gb) {
    const rec = spanRecorder();
    const at = rec ? convDetail(g.c, o, g.kH, g.kW, g.h, g.w, g.oH, g.oW) : undefined;
    if (gb) {
      rec?.begin('conv.bias', at);
      sumChannelsInto(grad, g.n, o, g.oH * g.oW, gb);
      rec?.end();
    }
    if (!gx && !gw) return;
    const k = g.c * g.kH * g.kW;
    const p = g.oH * g.oW;
    const inSample = g.c * g.h * g.w;
    const plan = convPlan(g);
    const sums = gw ? sumsScratch.take(plan.groups * o * k) : null;
    for (let group = 0; group < plan.groups; group++) {
      const first = evenCut(0, g.n, plan.groups, group);
      const inGroup = evenCut(0, g.n, plan.groups, group + 1) - first;
      const slices = groupSliceCount(inGroup, plan.slice);
      for (let slice = 0; slice < slices; slice++) {
        const start = evenCut(first, inGroup, slices, slice);
        const count = evenCut(first, inGroup, slices, slice + 1) - start;
        const s = count === g.n ? g : { ...g, n: count };
        const width = count * p;
        const gs = grad.subarray(start * o * p, (start + count) * o * p);
        let gT = gs;
        if (count > 1) {
          gT = layoutScratch.take(o * width);
          rec?.begin('conv.layout.backward', at);
          batchToChannels(gs, count, o, p, gT);
          rec?.end();
        }
        if (sums) {
          const cols = colsScratch.take(k * width);
          rec?.begin('conv.im2col.backward', at);
          im2col(x.subarray(start * inSample, (start + count) * inSample), s, cols);
          rec?.end();
          // The group's sum starts from zero at its first slice: nothing to clear.
          rec?.begin('conv.gemm.weight', at);
          const sum = sums.subarray(group * o * k, (group + 1) * o * k);
          dotRowsInto(gT, cols, sum, o, width, k, slice > 0);
          rec?.end();
        }
        if (gx) {
          const dcols = colsScratch.take(k * width);
          rec?.begin('conv.gemm.input', at);
          matmulInto({ a: w, b: gT, c: dcols, m: k, k: o, n: width, transA: true, transB: false });
          rec?.end();
          rec?.begin('conv.col2im', at);
          col2imAdd(dcols, s, gx.subarray(start * inSample, (start + count) * inSample));
          rec?.end();
        }
      }
    }
    if (gw && sums) {
      rec?.begin('conv.gemm.weight', at);
      addGroupSums(sums, plan.groups, o * k, gw);
      rec?.end();
    }
  },
};

let backend: ConvKernel = convReference;

/** Install a kernel that computes in the WASM memory (the worker pool's); null restores the reference. */
export function setConvBackend(kernel: ConvKernel | null): void {
  backend = kernel ?? convReference;
}

export function getConvBackend(): ConvKernel {
  return backend;
}
