// @ts-nocheck — AssemblyScript source (v128, load/store, memory.copy builtins), compiled with
// matmul.as.ts into the same module by scripts/build-wasm.mjs, never by tsc.
//
// The data movement around convolution's matrix products (see kernels/conv.ts for the
// layouts), done inside the shared WASM memory so the multi-megabyte column matrix never
// crosses into JavaScript: im2col, its adjoint col2im, and the [O, N·P] ↔ NCHW copies.
// Same layouts and summation order as the TypeScript loops in kernels/conv.ts.
//
// All pointers are byte offsets into the (imported, shared) linear memory; sizes are in floats.

// cols[(c·kH + ki)·kW + kj][n·P + oh·oW + ow] = x[n, c, oh·sH + ki − pH, ow·sW + kj − pW], 0 outside.
export function im2col(
  x: usize, n: i32, c: i32, h: i32, w: i32,
  kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, oH: i32, oW: i32,
  cols: usize,
): void {
  const plane = h * w;
  const outPlane = oH * oW;
  const width = n * outPlane;
  const sameWidth = sH == 1 && sW == 1 && oW == w;
  for (let ci = 0; ci < c; ci++) {
    for (let ki = 0; ki < kH; ki++) {
      // Output rows [ohLo, ohHi) read input rows oh·sH + ki − pH inside [0, h); the rest are padding.
      const ohLo = validLo(ki, sH, pH);
      const ohHi = validHi(ohLo, oH, h, ki, sH, pH);
      for (let kj = 0; kj < kW; kj++) {
        const row = ((ci * kH + ki) * kW + kj) * width;
        // Output columns [lo, hi) read inside the row. Found once per tap, not per sample: the
        // divisions cost as much as copying a short row.
        const lo = validLo(kj, sW, pW);
        const hi = validHi(lo, oW, w, kj, sW, pW);
        for (let ni = 0; ni < n; ni++) {
          const src = x + <usize>(((ni * c + ci) * plane) << 2);
          const dst = cols + <usize>((row + ni * outPlane) << 2);
          if (sameWidth) shiftedPlane(src, h, w, ki - pH, kj - pW, oH, dst);
          else strided(src, w, ki, kj, sH, sW, pH, pW, oH, oW, ohLo, ohHi, lo, hi, dst);
        }
      }
    }
  }
}

// Stride 1, output as wide as the input: the plane shifted by (dh, dw) in one copy, then the
// columns that wrapped around a row edge zeroed (see im2colSameWidth in kernels/conv.ts).
function shiftedPlane(src: usize, h: i32, w: i32, dh: i32, dw: i32, oH: i32, dst: usize): void {
  const top = max(0, -dh);
  const bottom = min(oH, h - dh);
  const outPlane = oH * w;
  if (bottom <= top) {
    memory.fill(dst, 0, <usize>(outPlane << 2));
    return;
  }
  const lo = max(0, -dw);
  const hi = min(w, w - dw);
  const first = top * w + lo;
  const end = (bottom - 1) * w + hi;
  memory.fill(dst, 0, <usize>(first << 2));
  memory.copy(dst + <usize>(first << 2), src + <usize>((dh * w + dw + first) << 2), <usize>((end - first) << 2));
  memory.fill(dst + <usize>(end << 2), 0, <usize>((outPlane - end) << 2));
  if (lo > 0 || hi < w) {
    for (let oh = top; oh < bottom; oh++) {
      const r = dst + <usize>((oh * w) << 2);
      for (let ow = 0; ow < lo; ow++) store<f32>(r + <usize>(ow << 2), 0);
      for (let ow = hi; ow < w; ow++) store<f32>(r + <usize>(ow << 2), 0);
    }
  }
}

// Any stride and padding, one output row at a time. The rows are short (10 floats for LeNet's
// second layer), so each is moved with v128 loads and stores in line, not memory.fill/copy
// calls (three calls a row cost more than the product that reads the columns); only the
// padding columns and rows are zeroed.
// Output rows [ohLo, ohHi) and columns [lo, hi) read inside the input (validLo, validHi).
// @ts-ignore: decorator
@inline
function strided(
  src: usize, w: i32, ki: i32, kj: i32, sH: i32, sW: i32, pH: i32, pW: i32, oH: i32, oW: i32,
  ohLo: i32, ohHi: i32, lo: i32, hi: i32, dst: usize,
): void {
  zeroRun(dst, ohLo * oW);
  let d = dst + <usize>((ohLo * oW) << 2);
  let base = src + <usize>(((ohLo * sH + ki - pH) * w + kj - pW) << 2);
  const dStep = <usize>(oW << 2);
  const sStep = <usize>((sH * w) << 2);
  if (sW == 1 && lo == 0 && hi == oW && oW > 4 && oW <= 12) {
    // Whole rows of 5 to 12 floats (LeNet's second layer: 10), no padding columns: two or three
    // v128 moves a row, the last one ending at the row's end (overlapping the one before).
    const t = <usize>((oW - 4) << 2);
    if (oW <= 8) {
      for (let oh = ohLo; oh < ohHi; oh++, d += dStep, base += sStep) {
        v128.store(d, v128.load(base));
        v128.store(d + t, v128.load(base + t));
      }
    } else {
      for (let oh = ohLo; oh < ohHi; oh++, d += dStep, base += sStep) {
        v128.store(d, v128.load(base));
        v128.store(d, v128.load(base, 16), 16);
        v128.store(d + t, v128.load(base + t));
      }
    }
    zeroRun(d, (oH - ohHi) * oW);
    return;
  }
  for (let oh = ohLo; oh < ohHi; oh++, d += dStep, base += sStep) {
    for (let ow = 0; ow < lo; ow++) store<f32>(d + <usize>(ow << 2), 0);
    if (sW == 1) copyRun(base + <usize>(lo << 2), d + <usize>(lo << 2), hi - lo);
    else for (let ow = lo; ow < hi; ow++) store<f32>(d + <usize>(ow << 2), load<f32>(base + <usize>((ow * sW) << 2)));
    for (let ow = hi; ow < oW; ow++) store<f32>(d + <usize>(ow << 2), 0);
  }
  zeroRun(d, (oH - ohHi) * oW);
}

// d[i] = s[i] for i < len: four at a time, the last four (overlapping the ones before) ending
// exactly at len, so no scalar tail for len ≥ 4. Reads and writes only [0, len).
// @ts-ignore: decorator
@inline
function copyRun(s: usize, d: usize, len: i32): void {
  if (len < 4) {
    for (let i = 0; i < len; i++) store<f32>(d + <usize>(i << 2), load<f32>(s + <usize>(i << 2)));
    return;
  }
  let i = 0;
  for (; i + 4 <= len; i += 4) v128.store(d + <usize>(i << 2), v128.load(s + <usize>(i << 2)));
  if (i < len) {
    const o = <usize>((len - 4) << 2);
    v128.store(d + o, v128.load(s + o));
  }
}

// d[i] = 0 for i < len.
// @ts-ignore: decorator
@inline
function zeroRun(d: usize, len: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) v128.store(d + <usize>(i << 2), zero);
  for (; i < len; i++) store<f32>(d + <usize>(i << 2), 0);
}

// dx[n, c, ih, iw] += every column entry that im2col read from it (the adjoint of im2col).
// Each pixel gets its entries in the order (ki, kj), as in col2imAdd (kernels/conv.ts).
export function col2im(
  cols: usize, n: i32, c: i32, h: i32, w: i32,
  kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, oH: i32, oW: i32,
  dx: usize,
): void {
  const plane = h * w;
  const outPlane = oH * oW;
  const width = n * outPlane;
  for (let ci = 0; ci < c; ci++) {
    for (let ki = 0; ki < kH; ki++) {
      // Output rows [ohLo, ohHi) read input rows oh·sH + ki − pH inside [0, h).
      const ohLo = validLo(ki, sH, pH);
      const ohHi = validHi(ohLo, oH, h, ki, sH, pH);
      for (let kj = 0; kj < kW; kj++) {
        const row = ((ci * kH + ki) * kW + kj) * width;
        const lo = validLo(kj, sW, pW);
        const hi = validHi(lo, oW, w, kj, sW, pW);
        const len = hi - lo;
        if (len <= 0) continue;
        for (let ni = 0; ni < n; ni++) {
          const dstPlane = dx + <usize>(((ni * c + ci) * plane) << 2);
          let s = cols + <usize>((row + ni * outPlane + ohLo * oW + lo) << 2);
          let d = dstPlane + <usize>(((ohLo * sH + ki - pH) * w + (lo * sW + kj - pW)) << 2);
          const sStep = <usize>(oW << 2);
          const dStep = <usize>((sH * w) << 2);
          if (sW == 1) {
            for (let oh = ohLo; oh < ohHi; oh++, s += sStep, d += dStep) addRun(s, d, len);
          } else {
            for (let oh = ohLo; oh < ohHi; oh++, s += sStep, d += dStep) {
              for (let i = 0; i < len; i++) {
                const at = d + <usize>((i * sW) << 2);
                store<f32>(at, load<f32>(at) + load<f32>(s + <usize>(i << 2)));
              }
            }
          }
        }
      }
    }
  }
}

// Output columns [lo, hi) whose input column ow·s + k − p lies inside [0, size), as validRange
// in kernels/conv.ts (floor and ceiling divisions of possibly negative numbers).
function validLo(k: i32, stride: i32, pad: i32): i32 {
  return max(0, -floorDiv(k - pad, stride));
}

function validHi(lo: i32, out: i32, size: i32, k: i32, stride: i32, pad: i32): i32 {
  return max(lo, min(out, floorDiv(size - 1 + pad - k, stride) + 1));
}

function floorDiv(a: i32, b: i32): i32 {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// d[i] += s[i] for i < len, four at a time. A row whose length is not a multiple of four ends
// with the four floats ending at len, overlapping the last block: their sums are taken from d
// as it was (loaded before the blocks are stored), so the overlapping floats get the same sum
// twice, not s added twice, and no scalar tail is needed.
// @ts-ignore: decorator
@inline
function addRun(s: usize, d: usize, len: i32): void {
  if (len < 4) {
    for (let i = 0; i < len; i++) {
      const o = <usize>(i << 2);
      store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
    }
    return;
  }
  const t = <usize>((len - 4) << 2);
  const tail = f32x4.add(v128.load(d + t), v128.load(s + t));
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>(i << 2);
    v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
  }
  if (i < len) v128.store(d + t, tail);
}

// y[n, o, p] = yT[o, n·P + p] + bias[o] (bias 0: none).
export function channelsToBatch(yT: usize, bias: usize, n: i32, o: i32, p: i32, y: usize): void {
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) {
      const src = yT + <usize>(((oi * n + ni) * p) << 2);
      const dst = y + <usize>(((ni * o + oi) * p) << 2);
      const b = f32x4.splat(bias ? load<f32>(bias + <usize>(oi << 2)) : 0);
      let i = 0;
      for (; i + 4 <= p; i += 4) v128.store(dst + <usize>(i << 2), f32x4.add(v128.load(src + <usize>(i << 2)), b));
      for (; i < p; i++) store<f32>(dst + <usize>(i << 2), load<f32>(src + <usize>(i << 2)) + f32x4.extract_lane(b, 0));
    }
  }
}

// gT[o, n·P + p] = g[n, o, p].
export function batchToChannels(g: usize, n: i32, o: i32, p: i32, gT: usize): void {
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) {
      memory.copy(gT + <usize>(((oi * n + ni) * p) << 2), g + <usize>(((ni * o + oi) * p) << 2), <usize>(p << 2));
    }
  }
}

// db[o] += Σ_{n,p} g[n, o, p] (the bias gradient): per (n, o) row a float64 sum, added to
// db[o] and rounded once, so summing a batch in slices, in order, gives the same bits. Each
// row is summed in eight float64 lanes (lane j takes the floats i ≡ j mod 8, two f64x2
// accumulators per f32x4 load), the lanes combined as ((0+2)+(4+6)) + ((1+3)+(5+7)), then
// the tail one by one: sumRow in kernels/conv.ts adds in the same order, so both give the
// same bits.
export function sumChannels(g: usize, n: i32, o: i32, p: i32, db: usize): void {
  const p8 = p & ~7;
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) {
      const src = g + <usize>(((ni * o + oi) * p) << 2);
      let a01 = f64x2.splat(0);
      let a23 = f64x2.splat(0);
      let a45 = f64x2.splat(0);
      let a67 = f64x2.splat(0);
      for (let i = 0; i < p8; i += 8) {
        const v = v128.load(src + <usize>(i << 2));
        const u = v128.load(src + <usize>(i << 2), 16);
        a01 = f64x2.add(a01, f64x2.promote_low_f32x4(v));
        a23 = f64x2.add(a23, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
        a45 = f64x2.add(a45, f64x2.promote_low_f32x4(u));
        a67 = f64x2.add(a67, f64x2.promote_low_f32x4(v128.shuffle<f32>(u, u, 2, 3, 2, 3)));
      }
      const lanes = f64x2.add(f64x2.add(a01, a23), f64x2.add(a45, a67));
      let sum = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
      for (let i = p8; i < p; i++) sum += <f64>load<f32>(src + <usize>(i << 2));
      const at = db + <usize>(oi << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) + sum));
    }
  }
}
