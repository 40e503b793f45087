// @ts-nocheck — AssemblyScript source (load/store builtins), compiled with matmul.as.ts into the
// same module by scripts/build-wasm.mjs, never by tsc.
//
// Max pooling over NCHW planes, forward and gradient: the loops of kernels/pool.ts (maxPool,
// maxPoolGrad) on operands in the WASM memory, with the same integer compare, the same winner on
// ties and the same summation order, so both give the same bits. Pointers are byte offsets.

// A float's bits → an int32 ordered as the floats are (−0 and +0 equal); see kernels/pool.ts.
// @ts-ignore: decorator
@inline
function orderKey(b: i32): i32 {
  const sign = b >> 31;
  return ((b & 0x7fffffff) ^ sign) - sign;
}

// out[o] = the largest x of each window (padding counts as −∞), argmax[o] its flat index in x
// (the first in row-major order on ties), over planes [first, first + planes) of h × w: x, out
// and argmax are the whole tensors', so a range of planes (a block of a pool task) writes the
// same entries a call over all of them would.
//
// Four neighbouring windows of a row at a time wherever all four lie inside the row (every
// window of the cnn preset's first pool, most of its second): one window's scan is a chain of
// dependent selects, so four chains side by side in SIMD lanes run ~3× faster than one. Lanes
// take the same elements in the same order with the same strict compare as the scalar scan,
// so the winners are the same. Windows two wide and two apart read each row's eight floats
// with two loads instead of gathering them one by one; a row's last windows, fewer than four,
// are done as its last four.
export function maxPool(
  x: usize, first: i32, planes: i32, h: i32, w: i32,
  kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, oH: i32, oW: i32,
  out: usize, argmax: usize,
): void {
  let o: usize = <usize>(first * oH * oW);
  // Windows ow with ow·sW − pW ≥ 0 and ow·sW − pW + kW ≤ w lie inside the row.
  const firstInside = (pW + sW - 1) / sW;
  const lastInside = (w - kW + pW) / sW;
  const laneStep = i32x4(0, sW, 2 * sW, 3 * sW);
  // Windows two columns wide, two apart (2×2 pooling, stride 2: LeNet's and the cnn's first pool).
  const pairs = kW == 2 && sW == 2;
  for (let pl = first; pl < first + planes; pl++) {
    const base = pl * h * w;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = max(0, oh * sH - pH);
      const rows = min(h, oh * sH - pH + kH) - h0;
      let ow = 0;
      while (ow < oW) {
        // The last windows of a row, fewer than four, as the last four (the ones before them
        // again, with the same results) when all four lie inside the row.
        if (ow > oW - 4 && oW - 4 >= firstInside && oW - 1 <= lastInside) {
          o -= <usize>(ow - (oW - 4));
          ow = oW - 4;
        }
        if (pairs && ow >= firstInside && ow + 3 <= lastInside) {
          // Two columns a window, two apart: each row's eight floats in two loads, split into
          // the windows' first and second columns (the scan's order: row by row, column by column).
          const start = base + h0 * w + ow * 2 - pW;
          const first = i32x4.add(i32x4.splat(start), laneStep);
          const second = i32x4.add(first, i32x4.splat(1));
          let at = first;
          let value = f32x4.splat(0);
          let best = i32x4.splat(0);
          for (let r = 0; r < rows; r++) {
            const p = x + (<usize>(start + r * w) << 2);
            const lo = v128.load(p);
            const hi = v128.load(p, 16);
            const even = v128.shuffle<i32>(lo, hi, 0, 2, 4, 6);
            const odd = v128.shuffle<i32>(lo, hi, 1, 3, 5, 7);
            const row = i32x4.splat(r * w);
            let key = orderKey4(even);
            if (r == 0) {
              value = even;
              best = key;
            } else {
              const take = i32x4.gt_s(key, best);
              best = v128.bitselect(key, best, take);
              value = v128.bitselect(even, value, take);
              at = v128.bitselect(i32x4.add(first, row), at, take);
            }
            key = orderKey4(odd);
            const take = i32x4.gt_s(key, best);
            best = v128.bitselect(key, best, take);
            value = v128.bitselect(odd, value, take);
            at = v128.bitselect(i32x4.add(second, row), at, take);
          }
          v128.store(out + (o << 2), value);
          v128.store(argmax + (o << 2), at);
          o += 4;
          ow += 4;
          continue;
        }
        if (ow >= firstInside && ow + 3 <= lastInside) {
          const start = base + h0 * w + ow * sW - pW;
          let at = i32x4.add(i32x4.splat(start), laneStep);
          let value = gather4(x, start, sW);
          let best = orderKey4(value);
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < kW; c++) {
              if (r == 0 && c == 0) continue;
              const from = start + r * w + c;
              const v = gather4(x, from, sW);
              const key = orderKey4(v);
              const take = i32x4.gt_s(key, best);
              best = v128.bitselect(key, best, take);
              value = v128.bitselect(v, value, take);
              at = v128.bitselect(i32x4.add(i32x4.splat(from), laneStep), at, take);
            }
          }
          v128.store(out + (o << 2), value);
          v128.store(argmax + (o << 2), at);
          o += 4;
          ow += 4;
          continue;
        }
        const w0 = max(0, ow * sW - pW);
        const cols = min(w, ow * sW - pW + kW) - w0;
        const start = base + h0 * w + w0;
        let at = start;
        let best = orderKey(load<i32>(x + (<usize>start << 2)));
        for (let r = 0, row = start; r < rows; r++, row += w) {
          for (let i = row, end = row + cols; i < end; i++) {
            const key = orderKey(load<i32>(x + (<usize>i << 2)));
            // Branch-free, as in kernels/pool.ts: ReLU outputs tie at 0 half the time.
            const take = -(<i32>(best < key));
            best = (key & take) | (best & ~take);
            at = (i & take) | (at & ~take);
          }
        }
        store<i32>(out + (o << 2), load<i32>(x + (<usize>at << 2)));
        store<i32>(argmax + (o << 2), at);
        o++;
        ow++;
      }
    }
  }
}

// x[i], x[i + s], x[i + 2s], x[i + 3s] as one vector of bits.
// @ts-ignore: decorator
@inline
function gather4(x: usize, i: i32, s: i32): v128 {
  const p = x + (<usize>i << 2);
  const step = <usize>s << 2;
  let v = i32x4.splat(load<i32>(p));
  v = i32x4.replace_lane(v, 1, load<i32>(p + step));
  v = i32x4.replace_lane(v, 2, load<i32>(p + 2 * step));
  return i32x4.replace_lane(v, 3, load<i32>(p + 3 * step));
}

// orderKey on four lanes.
// @ts-ignore: decorator
@inline
function orderKey4(b: v128): v128 {
  const sign = i32x4.shr_s(b, 31);
  return i32x4.sub(v128.xor(v128.and(b, i32x4.splat(0x7fffffff)), sign), sign);
}

// dx[argmax[o]] += g[o], in order of o.
export function maxPoolGrad(g: usize, argmax: usize, count: i32, dx: usize): void {
  for (let o = 0; o < count; o++) {
    const at = dx + (<usize>load<i32>(argmax + (<usize>o << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(g + (<usize>o << 2)));
  }
}

// maxPoolGrad into a zeroed dx, without a separate pass zeroing all of it: each input plane
// (inPlane floats) is zeroed just before its outPlane outputs are added into it,
// in order of o, while it is in cache. Every winner lies in its own plane, so each element
// gets exactly what zeroing all of dx and then maxPoolGrad would give it. Planes
// [first, first + planes) of the whole tensors g, argmax and dx.
export function maxPoolGradWrite(g: usize, argmax: usize, first: i32, planes: i32, outPlane: i32, inPlane: i32, dx: usize): void {
  for (let p = first; p < first + planes; p++) {
    memory.fill(dx + (<usize>(p * inPlane) << 2), 0, <usize>inPlane << 2);
    const end = (p + 1) * outPlane;
    for (let o = p * outPlane; o < end; o++) {
      const at = dx + (<usize>load<i32>(argmax + (<usize>o << 2)) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(g + (<usize>o << 2)));
    }
  }
}
