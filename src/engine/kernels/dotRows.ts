// C = A·Bᵀ (+ C) as dot products of contiguous rows: the TypeScript twin of the WASM kernel
// (wasm/dotRows.as.ts), a convolution's weight gradient G'·colsᵀ. It sums in that kernel's
// order, rounding to float32 after every operation, so the two agree bit for bit:
//   k in blocks of DOT_BLOCK; in a block, lane l sums the products p ≡ l (mod 4) of the first
//   kc & ~3 positions from zero; s = (l0 + l2) + (l1 + l3); the block's last kc % 4 products
//   are added to s one by one; then C = s for the first block (unless accumulating), else C + s.
// A product or sum of two float32 values computed in float64 and rounded once is the float32
// operation's result, so Math.fround after each step reproduces WASM's f32 arithmetic.

/** Positions per block: the same as gemm's KC, so both sum a block from zero and then add it to C. */
export const DOT_BLOCK = 256;

const f = Math.fround;

/** c[i·n + j] (+)= Σ_p a[i·k + p]·b[j·k + p] for i < m, j < n. */
export function dotRowsInto(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, accumulate: boolean): void {
  if (k === 0) {
    if (!accumulate) c.fill(0, 0, m * n);
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let cij = c[i * n + j];
      for (let pc = 0; pc < k; pc += DOT_BLOCK) {
        const s = blockDot(a, i * k + pc, b, j * k + pc, Math.min(DOT_BLOCK, k - pc));
        cij = pc === 0 && !accumulate ? s : f(cij + s);
      }
      c[i * n + j] = cij;
    }
  }
}

/** Σ x[xAt + p]·y[yAt + p] for p < kc, in the lane order above. */
function blockDot(x: Float32Array, xAt: number, y: Float32Array, yAt: number, kc: number): number {
  const k4 = kc & ~3;
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  for (let p = 0; p < k4; p += 4) {
    l0 = f(l0 + f(x[xAt + p] * y[yAt + p]));
    l1 = f(l1 + f(x[xAt + p + 1] * y[yAt + p + 1]));
    l2 = f(l2 + f(x[xAt + p + 2] * y[yAt + p + 2]));
    l3 = f(l3 + f(x[xAt + p + 3] * y[yAt + p + 3]));
  }
  let s = f(f(l0 + l2) + f(l1 + l3));
  for (let p = k4; p < kc; p++) s = f(s + f(x[xAt + p] * y[yAt + p]));
  return s;
}
