// @ts-nocheck — AssemblyScript source (v128, f32x4, load/store builtins), compiled with the
// other kernels into one module by scripts/build-wasm.mjs, never by tsc.
//
// C = A·Bᵀ (+ C) with both operands row-major along k: C[i, j] = Σ_p A[i, p]·B[j, p], a dot
// product of two contiguous rows. This is a convolution's weight gradient, G'·colsᵀ: A is the
// output gradient [O, N·P], B the column matrix [K, N·P], so k (the slice's N·P positions) is
// long and m, n (channels and kernel taps) are small — 6 × 25 for LeNet's first layer. gemm
// must transpose B into panels for that (its lanes run along j) and wastes most of its 4×8
// tiles on edges; here the lanes run along p, B is read where im2col wrote it, and a 2×4
// tile of dot products keeps 8 accumulators, 2 rows of A and 4 of B in registers.
//
// Summation order (kernels/dotRows.ts twins it bit for bit): k in blocks of DOT_BLOCK; in each
// block lane l sums the products p ≡ l (mod 4) of the first kc & ~3 positions, from zero;
// the lanes are combined as (l0 + l2) + (l1 + l3), the last block's kc % 4 products are added
// one by one, and the block's sum is added to C (stored, for the first block without
// `accumulate`). As in gemm, every C element is summed the same way wherever it lies.
//
// All pointers are byte offsets into the (imported, shared) linear memory.

const DOT_BLOCK: i32 = 256;

// C[i, j] for i < m, j < n; A is [m, k], B is [n, k], C is [m, n], all row-major.
export function dotRows(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  if (k == 0) {
    if (!accumulate) memory.fill(c, 0, <usize>((m * n) << 2));
    return;
  }
  const m2 = m & ~1;
  const n4 = n & ~3;
  const row = <usize>(k << 2);
  for (let pc = 0; pc < k; pc += DOT_BLOCK) {
    const kc = min(DOT_BLOCK, k - pc);
    const overwrite = pc == 0 && !accumulate;
    for (let i = 0; i < m2; i += 2) {
      const a0 = a + <usize>((i * k + pc) << 2);
      const c0 = c + <usize>((i * n) << 2);
      for (let j = 0; j < n4; j += 4) tile2x4(a0, b + <usize>((j * k + pc) << 2), row, kc, c0 + <usize>(j << 2), <usize>(n << 2), overwrite);
    }
    // The edges, an element at a time, in the same order.
    for (let i = 0; i < m; i++) {
      const ai = a + <usize>((i * k + pc) << 2);
      for (let j = i < m2 ? n4 : 0; j < n; j++) {
        const at = c + <usize>((i * n + j) << 2);
        const s = dot(ai, b + <usize>((j * k + pc) << 2), kc);
        store<f32>(at, overwrite ? s : load<f32>(at) + s);
      }
    }
  }
}

// Σ_p x[p]·y[p] over kc floats, in the lane order above.
function dot(x: usize, y: usize, kc: i32): f32 {
  const k4 = kc & ~3;
  let acc = f32x4.splat(0);
  for (let p = 0; p < k4; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(x + <usize>(p << 2)), v128.load(y + <usize>(p << 2))));
  let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 2) + (f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 3));
  for (let p = k4; p < kc; p++) s += load<f32>(x + <usize>(p << 2)) * load<f32>(y + <usize>(p << 2));
  return s;
}

// Lane j of the result is (v_j[0] + v_j[2]) + (v_j[1] + v_j[3]): four dot products' lanes combined at once.
// @ts-ignore: decorator
@inline
function combine(v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  const u01 = f32x4.add(v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), v128.shuffle<f32>(v0, v1, 2, 6, 3, 7));
  const u23 = f32x4.add(v128.shuffle<f32>(v2, v3, 0, 4, 1, 5), v128.shuffle<f32>(v2, v3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(u01, u23, 0, 1, 4, 5), v128.shuffle<f32>(u01, u23, 2, 3, 6, 7));
}

// The last kc % 4 products of one row of the tile, added lane j by lane j: s_j += x[p]·y_j[p].
// @ts-ignore: decorator
@inline
function tail(s: v128, x: usize, y: usize, row: usize, k4: i32, kc: i32): v128 {
  for (let p = k4; p < kc; p++) {
    const at = <usize>(p << 2);
    let yv = f32x4.splat(load<f32>(y + at));
    yv = f32x4.replace_lane(yv, 1, load<f32>(y + row + at));
    yv = f32x4.replace_lane(yv, 2, load<f32>(y + 2 * row + at));
    yv = f32x4.replace_lane(yv, 3, load<f32>(y + 3 * row + at));
    s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(x + at)), yv));
  }
  return s;
}

// C[0..2, 0..4] from rows a0, a0 + row (A) and b0 … b0 + 3·row (B), one block of kc positions.
// @ts-ignore: decorator
@inline
function tile2x4(a0: usize, b0: usize, row: usize, kc: i32, c: usize, ldc: usize, overwrite: bool): void {
  const k4 = kc & ~3;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
  const a1 = a0 + row;
  const b1 = b0 + row;
  const b2 = b1 + row;
  const b3 = b2 + row;
  for (let p = 0; p < k4; p += 4) {
    const at = <usize>(p << 2);
    const x0 = v128.load(a0 + at);
    const x1 = v128.load(a1 + at);
    let y = v128.load(b0 + at);
    s00 = f32x4.add(s00, f32x4.mul(x0, y));
    s10 = f32x4.add(s10, f32x4.mul(x1, y));
    y = v128.load(b1 + at);
    s01 = f32x4.add(s01, f32x4.mul(x0, y));
    s11 = f32x4.add(s11, f32x4.mul(x1, y));
    y = v128.load(b2 + at);
    s02 = f32x4.add(s02, f32x4.mul(x0, y));
    s12 = f32x4.add(s12, f32x4.mul(x1, y));
    y = v128.load(b3 + at);
    s03 = f32x4.add(s03, f32x4.mul(x0, y));
    s13 = f32x4.add(s13, f32x4.mul(x1, y));
  }
  const r0 = tail(combine(s00, s01, s02, s03), a0, b0, row, k4, kc);
  const r1 = tail(combine(s10, s11, s12, s13), a1, b0, row, k4, kc);
  v128.store(c, overwrite ? r0 : f32x4.add(v128.load(c), r0));
  v128.store(c + ldc, overwrite ? r1 : f32x4.add(v128.load(c + ldc), r1));
}
