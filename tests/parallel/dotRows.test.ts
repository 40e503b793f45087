// C (+)= A·Bᵀ as dot products of rows (a convolution's weight gradient): the WASM kernel
// (kernels/wasm/dotRows.as.ts) against its TypeScript twin (kernels/dotRows.ts), which rounds
// to float32 after every operation in the kernel's order, so the two must agree bit for bit;
// and both against float64 truth, within the bound float32 rounding allows for k products.
// The shapes cover the 2×4 tiles and every kind of edge (an odd last row, the last n % 4
// columns), blocks of positions (k past DOT_BLOCK) and each length of a block's tail (k % 4).
import { describe, expect, it } from 'vitest';
import { DOT_BLOCK, dotRowsInto } from '../../src/engine/kernels/dotRows';
import { bitMismatches } from './matmulCases';
import { residentFloats, wasmRuntime } from './residentOperands';

const runtime = wasmRuntime();
const wasm = runtime.kernels;
/** `length` floats in the WASM memory, random unless `fill` is given. */
const resident = residentFloats(runtime, 29);

/** float32's unit roundoff, and the bound on k products summed in any order: γ_k = k·u / (1 − k·u). */
const U = 2 ** -24;
const gamma = (k: number): number => (k * U) / (1 - k * U);

// [m, k, n]: LeNet's and the cnn's weight gradients for a slice, then edges and tails.
const shapes: [number, number, number][] = [
  [6, 4704, 25],
  [16, 3200, 150],
  [8, 3136, 25],
  [2, 4, 4],
  [1, 1, 1],
  [3, 5, 5],
  [5, 2 * DOT_BLOCK + 3, 7],
  [4, DOT_BLOCK - 1, 9],
  [7, DOT_BLOCK + 2, 3],
  [2, DOT_BLOCK, 8],
];

describe('dotRows: C (+)= A·Bᵀ as dot products of rows', () => {
  for (const [m, k, n] of shapes) {
    for (const accumulate of [false, true]) {
      it(`${m}×${k}·(${n}×${k})ᵀ${accumulate ? ' added to C' : ''}: WASM equals its TypeScript twin bit for bit, within float32 rounding of float64 truth`, () => {
        const a = resident(m * k);
        const b = resident(n * k);
        const c0 = resident(m * n);
        // Overwriting must write every element: NaN would survive otherwise.
        const c = resident(m * n, NaN);
        if (accumulate) c.set(c0);
        wasm.dotRows(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n, +accumulate);
        const want = accumulate ? Float32Array.from(c0) : new Float32Array(m * n).fill(NaN);
        dotRowsInto(Float32Array.from(a), Float32Array.from(b), want, m, k, n, accumulate);
        expect(c.some(Number.isNaN), 'every element written').toBe(false);
        expect(bitMismatches(c, want)).toBe(0);
        let worst = 0;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let truth = accumulate ? c0[i * n + j] : 0;
            let magnitude = Math.abs(truth);
            for (let p = 0; p < k; p++) {
              truth += a[i * k + p] * b[j * k + p];
              magnitude += Math.abs(a[i * k + p] * b[j * k + p]);
            }
            // k products and, when adding to C, one more addition.
            worst = Math.max(worst, Math.abs(c[i * n + j] - truth) / (gamma(k + 1) * magnitude));
          }
        }
        expect(worst).toBeLessThanOrEqual(1);
      });
    }
  }

  it('k = 0: an empty sum, zero unless added to C', () => {
    const c = resident(6, NaN);
    wasm.dotRows(0, 0, c.byteOffset, 2, 0, 3, 0);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    c.fill(1.5);
    wasm.dotRows(0, 0, c.byteOffset, 2, 0, 3, 1);
    expect(Array.from(c)).toEqual([1.5, 1.5, 1.5, 1.5, 1.5, 1.5]);
    const want = new Float32Array(6).fill(NaN);
    dotRowsInto(new Float32Array(0), new Float32Array(0), want, 2, 0, 3, false);
    expect(Array.from(want)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('an element has the same bits wherever it lies in C (inside a 2×4 tile or on an edge)', () => {
    const [m, k, n] = [3, 2 * DOT_BLOCK + 1, 5];
    const a = resident(m * k);
    const b = resident(n * k);
    const c = resident(m * n);
    wasm.dotRows(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n, 0);
    // Each element alone (a 1×1 product: always the edge path) against the same element of the whole.
    const one = resident(1);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        wasm.dotRows(a.byteOffset + i * k * 4, b.byteOffset + j * k * 4, one.byteOffset, 1, k, 1, 0);
        expect(Object.is(one[0], c[i * n + j]), `C[${i}, ${j}]`).toBe(true);
      }
    }
  });
});
