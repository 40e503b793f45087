// @ts-nocheck — AssemblyScript source (v128, f32x4, load/store builtins), compiled by
// scripts/build-wasm.mjs with `asc`, never by tsc. Shared helpers stay in this one file.
//
// SGEMM on WebAssembly SIMD, laid out as in BLIS / GotoBLAS:
//   for each KC-slice of k:   pack the B panel of this thread's columns (NR-wide micro-panels)
//     for each MC-block of rows: pack A (MR-tall micro-panels; this is where Aᵀ is absorbed)
//       for each NR-column strip, each MR-row strip: a 4×8 register-tiled micro-kernel.
// Packing reads A and B in whatever layout they are stored in, so A·B, Aᵀ·B and A·Bᵀ all
// run the same micro-kernel and no transpose is ever materialised. A B that is neither
// transposed nor deeper than KC is not packed at all: its full panels are read in place.
//
// Every C element is summed the same way wherever it lies (full tile or edge, any row or
// column range): per KC-slice, a sum over p from zero, then added to C. That makes the
// result independent of how the pool splits the work, i.e. deterministic for a pool size.
//
// Why 4×8 (measured on this 2-core EPYC, one thread, best of 25 windows, GFLOPS on the five
// bench shapes 32×784×128ᵀ, 128×32×784 Aᵀ·B, 256×784×128ᵀ, 128×256×784 Aᵀ·B, 1024³):
//   4×8: 48–50 on every shape, i.e. the two multiply and two add pipes kept busy (16 FLOP per
//        cycle at ~3 GHz: the peak of 128-bit SIMD without FMA);
//   6×8: 21–27, 4×16: 26–32, 8×8: 17–28, 4×12 and 3×16 no better: V8 gives WASM 15 usable
//        xmm registers, 4×8 needs 11 (8 accumulators, 2 of B, 1 of A), bigger tiles spill;
//   4×8 with k unrolled ×2 or ×4: 28–30 (spills again);
//   KC/MC/NC of 128–512 / 48–128 / 512–2048: within noise of 256/64/1024;
//   no packing at all (A·Bᵀ as 2×4 dot products along k; Aᵀ·B straight from memory, 2×16):
//   51 vs 49 — within noise, so one kernel stays.
// Packing costs ~15 % of a batch-32 forward (W is transposed into panels every call); a
// Linear layer instead skips the input's all-zero columns, which saves more (ops/linear.ts).
//
// `bias` (a pointer, 0 for none) and `act` (0 none, 1 ReLU) fuse Linear's epilogue into the
// last KC-slice's store: C = act(A·B + bias), the bias added after the whole sum as in the
// unfused op, so fused and unfused agree bit for bit.
//
// All pointers are byte offsets into the (imported, shared) linear memory.

const MR: i32 = 4;
const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 64;
export const NC: i32 = 1024;

/** Bytes of scratch one thread needs for its packed A block and packed B panel. */
export function scratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

// C(i,j) of rows [i0,i1), columns [j0,j1) of the m×n row-major C at `c`.
// A is [m,k] (or [k,m] when transA), B is [k,n] (or [n,k] when transB).
export function gemm(
  a: usize, b: usize, c: usize,
  m: i32, k: i32, n: i32,
  transA: i32, transB: i32, accumulate: i32,
  i0: i32, i1: i32, j0: i32, j1: i32,
  scratch: usize, bias: usize, act: i32,
): void {
  const packA = scratch;
  const packB = scratch + <usize>(MC * KC * 4);
  const tile = packB + <usize>(KC * NC * 4);
  if (k == 0) {
    for (let i = i0; i < i1; i++) {
      for (let j = j0; j < j1; j++) {
        const at = c + <usize>((i * n + j) << 2);
        let v: f32 = accumulate ? load<f32>(at) : 0;
        if (bias) v += load<f32>(bias + <usize>(j << 2));
        if (act == 1) v = v > 0 ? v : 0;
        store<f32>(at, v);
      }
    }
    return;
  }
  // B as stored, one KC-slice deep: its full NR-wide panels are read in place, rows n floats
  // apart, and only a last narrower panel is packed (zero-padded). The micro-kernel does the same
  // sums either way; this saves copying all of B (for a convolution, the column matrix im2col
  // has just written) when the k rows are few enough to stay in cache across the row strips.
  const direct = !transB && k <= KC;
  const directStride = <usize>(n << 2);
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    const full = nc - nc % NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const overwrite = pc == 0 && !accumulate;
      const epilogue = pc + kc >= k && (bias != 0 || act != 0);
      if (!direct) packPanelB(b, k, n, transB, pc, kc, jc, nc, packB);
      else if (full < nc) packPanelB(b, k, n, transB, pc, kc, jc + full, nc - full, packB + <usize>(full * kc * 4));
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packBlockA(a, m, k, transA, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const inPlace = direct && jr < full;
          const pb = inPlace ? b + <usize>((pc * n + jc + jr) << 2) : packB + <usize>(jr * kc * 4);
          const bStride = inPlace ? directStride : 32;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = packA + <usize>(ir * kc * 4);
            const cp = c + <usize>(((ic + ir) * n + jc + jr) << 2);
            const bp = bias + <usize>((jc + jr) << 2);
            if (rows > 2) microKernel(kc, pa, pb, bStride, cp, n, rows, cols, overwrite, tile, epilogue, bias != 0 ? bp : 0, act);
            else microKernel2(kc, pa, pb, bStride, cp, n, rows, cols, overwrite, tile, epilogue, bias != 0 ? bp : 0, act);
          }
        }
      }
    }
  }
}

// packA[(r / MR) * kc * MR + p * MR + r % MR] = A(ic + r, pc + p); rows past mc are zero.
function packBlockA(a: usize, m: i32, k: i32, transA: i32, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const dst = out + <usize>(ir * kc * 4);
    const i = ic + ir;
    if (transA) {
      // A stored [k, m]: the MR values for one p are contiguous.
      if (rows == MR) {
        for (let p = 0; p < kc; p++) v128.store(dst + <usize>(p << 4), v128.load(a + <usize>(((pc + p) * m + i) << 2)));
      } else {
        for (let p = 0; p < kc; p++) {
          const src = a + <usize>(((pc + p) * m + i) << 2);
          for (let r = 0; r < MR; r++) store<f32>(dst + <usize>((p * MR + r) << 2), r < rows ? load<f32>(src + <usize>(r << 2)) : 0);
        }
      }
    } else {
      // A stored [m, k]: rows are contiguous along p; transpose 4×4 at a time.
      let p = 0;
      if (rows == MR) {
        const row = <usize>(k << 2);
        const src = a + <usize>((i * k + pc) << 2);
        for (; p + 4 <= kc; p += 4) transpose4x4(src + <usize>(p << 2), row, dst + <usize>(p << 4), 16);
      }
      for (let r = 0; r < MR; r++) {
        const src = a + <usize>(((i + r) * k + pc) << 2);
        for (let q = p; q < kc; q++) store<f32>(dst + <usize>((q * MR + r) << 2), r < rows ? load<f32>(src + <usize>(q << 2)) : 0);
      }
    }
  }
}

// packB[(c / NR) * kc * NR + p * NR + c % NR] = B(pc + p, jc + c); columns past nc are zero.
function packPanelB(b: usize, k: i32, n: i32, transB: i32, pc: i32, kc: i32, jc: i32, nc: i32, out: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const dst = out + <usize>(jr * kc * 4);
    const j = jc + jr;
    if (!transB) {
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const src = b + <usize>(((pc + p) * n + j) << 2);
          const d = dst + <usize>(p << 5);
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = b + <usize>(((pc + p) * n + j) << 2);
          for (let q = 0; q < NR; q++) store<f32>(dst + <usize>((p * NR + q) << 2), q < cols ? load<f32>(src + <usize>(q << 2)) : 0);
        }
      }
    } else {
      // B stored [n, k]: each column of the micro-panel is a contiguous row of B;
      // transpose 4×4 at a time.
      let p = 0;
      if (cols == NR) {
        const row = <usize>(k << 2);
        const src = b + <usize>((j * k + pc) << 2);
        for (; p + 4 <= kc; p += 4) {
          transpose4x4(src + <usize>(p << 2), row, dst + <usize>(p << 5), 32);
          transpose4x4(src + <usize>(p << 2) + (row << 2), row, dst + <usize>(p << 5) + 16, 32);
        }
      }
      for (let q = 0; q < NR; q++) {
        const src = b + <usize>(((j + q) * k + pc) << 2);
        for (let t = p; t < kc; t++) store<f32>(dst + <usize>((t * NR + q) << 2), q < cols ? load<f32>(src + <usize>(t << 2)) : 0);
      }
    }
  }
}

// Four rows of four floats at src (rows `srcStride` bytes apart) → four columns at dst
// (`dstStride` bytes apart): out[r] = (in0[r], in1[r], in2[r], in3[r]).
// @ts-ignore: decorator
@inline
function transpose4x4(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + srcStride);
  const r2 = v128.load(src + 2 * srcStride);
  const r3 = v128.load(src + 3 * srcStride);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstStride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

// One row of a full tile at the last KC-slice of a fused Linear: (C +) sum, + bias, ReLU.
// Adding a zero bias is exact except −0 + 0 = +0, which ReLU maps to +0 anyway.
// pmax(0, v) is `0 < v ? v : 0`: the reference's `v > 0 ? v : 0`, NaN → 0 included.
// @ts-ignore: decorator
@inline
function storeRow(c: usize, s0: v128, s1: v128, b0: v128, b1: v128, overwrite: bool, relu: bool): void {
  let v0 = overwrite ? s0 : f32x4.add(v128.load(c), s0);
  let v1 = overwrite ? s1 : f32x4.add(v128.load(c, 16), s1);
  v0 = f32x4.add(v0, b0);
  v1 = f32x4.add(v1, b1);
  if (relu) {
    const zero = f32x4.splat(0);
    v0 = f32x4.pmax(zero, v0);
    v1 = f32x4.pmax(zero, v1);
  }
  v128.store(c, v0);
  v128.store(c, v1, 16);
}

// microKernel for a strip of one or two rows (the last strip of an m that leaves 1 or 2 over
// 4): the same sums for those rows, without computing the packed panel's zero rows — half
// the work of the 4-row kernel, which LeNet's first convolution (6 channels) spent on them.
// @ts-ignore: decorator
@inline
function microKernel2(
  kc: i32, pa: usize, pb: usize, bStride: usize, c: usize, ldc: i32, rows: i32, cols: i32, overwrite: bool, tile: usize,
  epilogue: bool, bias: usize, act: i32,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  const end = pa + <usize>(kc << 4);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    pa += 16;
    pb += bStride;
  }
  const rowBytes = <usize>(ldc << 2);
  const zero = f32x4.splat(0);
  if (cols == NR) storeShortTile(c, rowBytes, rows, c00, c01, c10, c11, zero, zero, overwrite, epilogue, bias, act);
  else storeEdgeTile(c, rowBytes, rows, cols, c00, c01, c10, c11, zero, zero, zero, zero, overwrite, tile, epilogue, bias, act);
}

// The first `rows` (fewer than MR) rows of a tile with all 8 columns (the last strip of an m
// that is not a multiple of 4: LeNet's first convolution has 6 channels), stored as the full
// tile stores its rows.
// @ts-ignore: decorator
@inline
function storeShortTile(
  c: usize, rowBytes: usize, rows: i32, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128,
  overwrite: bool, epilogue: bool, bias: usize, act: i32,
): void {
  const zero = f32x4.splat(0);
  const b0 = epilogue && bias ? v128.load(bias) : zero;
  const b1 = epilogue && bias ? v128.load(bias, 16) : zero;
  const relu = epilogue && act == 1;
  storeEdgeRow(c, c00, c01, b0, b1, overwrite, epilogue, relu);
  if (rows > 1) storeEdgeRow(c + rowBytes, c10, c11, b0, b1, overwrite, epilogue, relu);
  if (rows > 2) storeEdgeRow(c + 2 * rowBytes, c20, c21, b0, b1, overwrite, epilogue, relu);
}

// One row of a short tile's 8 columns: storeRow at the last KC-slice of a fused Linear, else
// the sum stored or added as the full tile does.
// @ts-ignore: decorator
@inline
function storeEdgeRow(c: usize, s0: v128, s1: v128, b0: v128, b1: v128, overwrite: bool, epilogue: bool, relu: bool): void {
  if (epilogue) {
    storeRow(c, s0, s1, b0, b1, overwrite, relu);
  } else if (overwrite) {
    v128.store(c, s0);
    v128.store(c, s1, 16);
  } else {
    v128.store(c, f32x4.add(v128.load(c), s0));
    v128.store(c, f32x4.add(v128.load(c, 16), s1), 16);
  }
}

// One MR×NR tile of C from a packed A micro-panel and a B panel whose rows of NR floats are
// `bStride` bytes apart (32 when packed): 8 accumulators of 4 lanes live in registers.
// @ts-ignore: decorator
@inline
function microKernel(
  kc: i32, pa: usize, pb: usize, bStride: usize, c: usize, ldc: i32, rows: i32, cols: i32, overwrite: bool, tile: usize,
  epilogue: bool, bias: usize, act: i32,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pa + <usize>(kc << 4);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    pa += 16;
    pb += bStride;
  }
  const rowBytes = <usize>(ldc << 2);
  if (rows == MR && cols == NR) {
    if (epilogue) {
      const zero = f32x4.splat(0);
      const b0 = bias ? v128.load(bias) : zero;
      const b1 = bias ? v128.load(bias, 16) : zero;
      const relu = act == 1;
      storeRow(c, c00, c01, b0, b1, overwrite, relu); c += rowBytes;
      storeRow(c, c10, c11, b0, b1, overwrite, relu); c += rowBytes;
      storeRow(c, c20, c21, b0, b1, overwrite, relu); c += rowBytes;
      storeRow(c, c30, c31, b0, b1, overwrite, relu);
    } else if (overwrite) {
      v128.store(c, c00); v128.store(c, c01, 16); c += rowBytes;
      v128.store(c, c10); v128.store(c, c11, 16); c += rowBytes;
      v128.store(c, c20); v128.store(c, c21, 16); c += rowBytes;
      v128.store(c, c30); v128.store(c, c31, 16);
    } else {
      v128.store(c, f32x4.add(v128.load(c), c00)); v128.store(c, f32x4.add(v128.load(c, 16), c01), 16); c += rowBytes;
      v128.store(c, f32x4.add(v128.load(c), c10)); v128.store(c, f32x4.add(v128.load(c, 16), c11), 16); c += rowBytes;
      v128.store(c, f32x4.add(v128.load(c), c20)); v128.store(c, f32x4.add(v128.load(c, 16), c21), 16); c += rowBytes;
      v128.store(c, f32x4.add(v128.load(c), c30)); v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
    }
    return;
  }
  if (cols == NR) storeShortTile(c, rowBytes, rows, c00, c01, c10, c11, c20, c21, overwrite, epilogue, bias, act);
  else storeEdgeTile(c, rowBytes, rows, cols, c00, c01, c10, c11, c20, c21, c30, c31, overwrite, tile, epilogue, bias, act);
}

// Edge tile (fewer than 8 columns): spill the registers, then write only the valid part. Not
// inlined: it is the rare path, and the kernels' loops stay small.
function storeEdgeTile(
  c: usize, rowBytes: usize, rows: i32, cols: i32,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
  overwrite: bool, tile: usize, epilogue: bool, bias: usize, act: i32,
): void {
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  for (let r = 0; r < rows; r++) {
    const row = c + <usize>(r) * rowBytes;
    for (let q = 0; q < cols; q++) {
      let v = load<f32>(tile + <usize>((r * NR + q) << 2));
      const at = row + <usize>(q << 2);
      if (!overwrite) v = load<f32>(at) + v;
      if (epilogue) {
        if (bias) v += load<f32>(bias + <usize>(q << 2));
        if (act == 1) v = v > 0 ? v : 0;
      }
      store<f32>(at, v);
    }
  }
}
