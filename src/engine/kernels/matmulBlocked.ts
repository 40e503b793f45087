// The TypeScript matmul kernel used when the WASM kernel is unavailable, and by pool
// workers in that case. It computes one rectangle of C (rows [i0,i1), columns [j0,j1))
// so the pool can split C by blocks of rows, or of columns for thin shapes.
//
// Register tiling: each 4×4 tile of C lives in 16 locals while p runs over a KC-slice of k,
// so every loaded A and B value is used four times. Transposes are strides, never copies.
//
// Every C element is summed the same way wherever it lies (full tile or edge, any range):
// per KC-slice a sum over p from zero, then added to C. Results therefore do not depend on
// how the work is split, which keeps training deterministic for a given seed.
import type { MatmulArgs } from './matmul';

/** Depth of one slice of k: a 4-row strip of A and 4-column strip of B stay in L1. */
const KC_TS = 256;

export interface MatmulRange {
  i0: number;
  i1: number;
  j0: number;
  j1: number;
}

function fullRange(args: MatmulArgs): MatmulRange {
  return { i0: 0, i1: args.m, j0: 0, j1: args.n };
}

export function matmulBlocked(args: MatmulArgs, range: MatmulRange = fullRange(args)): void {
  const { a, b, c, m, k, n, transA, transB } = args;
  const { i0, i1, j0, j1 } = range;
  // A(i,p) = a[i*ai + p*ap];  B(p,j) = b[p*bp + j*bj]
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  const bp = transB ? 1 : n;
  const bj = transB ? k : 1;
  if (k === 0) {
    if (!args.accumulate) for (let i = i0; i < i1; i++) c.fill(0, i * n + j0, i * n + j1);
    return;
  }
  for (let pc = 0; pc < k; pc += KC_TS) {
    const pEnd = Math.min(k, pc + KC_TS);
    const overwrite = pc === 0 && !args.accumulate;
    let i = i0;
    for (; i + 4 <= i1; i += 4) {
      let j = j0;
      for (; j + 4 <= j1; j += 4) tile4x4(a, b, c, n, ai, ap, bp, bj, i, j, pc, pEnd, overwrite);
      for (; j < j1; j++) for (let r = 0; r < 4; r++) single(a, b, c, n, ai, ap, bp, bj, i + r, j, pc, pEnd, overwrite);
    }
    for (; i < i1; i++) for (let j = j0; j < j1; j++) single(a, b, c, n, ai, ap, bp, bj, i, j, pc, pEnd, overwrite);
  }
}

function tile4x4(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  n: number,
  ai: number,
  ap: number,
  bp: number,
  bj: number,
  i: number,
  j: number,
  pc: number,
  pEnd: number,
  overwrite: boolean,
): void {
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s03 = 0;
  let s10 = 0,
    s11 = 0,
    s12 = 0,
    s13 = 0;
  let s20 = 0,
    s21 = 0,
    s22 = 0,
    s23 = 0;
  let s30 = 0,
    s31 = 0,
    s32 = 0,
    s33 = 0;
  let pa = i * ai + pc * ap;
  let pb = pc * bp + j * bj;
  for (let p = pc; p < pEnd; p++) {
    // Sums run in float64 (JS numbers) and round once when stored: cheaper than fround.
    const a0 = a[pa],
      a1 = a[pa + ai],
      a2 = a[pa + 2 * ai],
      a3 = a[pa + 3 * ai];
    const b0 = b[pb],
      b1 = b[pb + bj],
      b2 = b[pb + 2 * bj],
      b3 = b[pb + 3 * bj];
    s00 = s00 + a0 * b0;
    s01 = s01 + a0 * b1;
    s02 = s02 + a0 * b2;
    s03 = s03 + a0 * b3;
    s10 = s10 + a1 * b0;
    s11 = s11 + a1 * b1;
    s12 = s12 + a1 * b2;
    s13 = s13 + a1 * b3;
    s20 = s20 + a2 * b0;
    s21 = s21 + a2 * b1;
    s22 = s22 + a2 * b2;
    s23 = s23 + a2 * b3;
    s30 = s30 + a3 * b0;
    s31 = s31 + a3 * b1;
    s32 = s32 + a3 * b2;
    s33 = s33 + a3 * b3;
    pa += ap;
    pb += bp;
  }
  let o = i * n + j;
  put4(c, o, s00, s01, s02, s03, overwrite);
  o += n;
  put4(c, o, s10, s11, s12, s13, overwrite);
  o += n;
  put4(c, o, s20, s21, s22, s23, overwrite);
  o += n;
  put4(c, o, s30, s31, s32, s33, overwrite);
}

function put4(c: Float32Array, o: number, v0: number, v1: number, v2: number, v3: number, overwrite: boolean): void {
  if (overwrite) {
    c[o] = v0;
    c[o + 1] = v1;
    c[o + 2] = v2;
    c[o + 3] = v3;
  } else {
    c[o] += v0;
    c[o + 1] += v1;
    c[o + 2] += v2;
    c[o + 3] += v3;
  }
}

function single(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  n: number,
  ai: number,
  ap: number,
  bp: number,
  bj: number,
  i: number,
  j: number,
  pc: number,
  pEnd: number,
  overwrite: boolean,
): void {
  let s = 0;
  let pa = i * ai + pc * ap;
  let pb = pc * bp + j * bj;
  for (let p = pc; p < pEnd; p++) {
    s += a[pa] * b[pb];
    pa += ap;
    pb += bp;
  }
  const o = i * n + j;
  c[o] = overwrite ? s : c[o] + s;
}
