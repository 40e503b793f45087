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
// (the first in row-major order on ties), over `planes` planes of h × w.
export function maxPool(
  x: usize, planes: i32, h: i32, w: i32,
  kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, oH: i32, oW: i32,
  out: usize, argmax: usize,
): void {
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = max(0, oh * sH - pH);
      const rows = min(h, oh * sH - pH + kH) - h0;
      for (let ow = 0; ow < oW; ow++, o++) {
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
      }
    }
  }
}

// dx[argmax[o]] += g[o], in order of o.
export function maxPoolGrad(g: usize, argmax: usize, count: i32, dx: usize): void {
  for (let o = 0; o < count; o++) {
    const at = dx + (<usize>load<i32>(argmax + (<usize>o << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(g + (<usize>o << 2)));
  }
}
