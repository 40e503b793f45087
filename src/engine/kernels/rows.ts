// Row-wise loops over a [rows, cols] matrix: Linear's epilogue (bias, activation) and the
// backward through them.
import type { Activation } from './fusedActivation';

/** y[r, c] += bias[c] for every row. */
export function addBiasRows(y: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) y[base + c] += bias[c];
  }
}

/** y = act(y) in place. */
export function activateInPlace(y: Float32Array, length: number, activation: Activation): void {
  if (activation === 'relu') for (let i = 0; i < length; i++) y[i] = y[i] > 0 ? y[i] : 0;
}

/** dst[c] += Σ_r g[r, c] (column sums, accumulated). */
export function sumRowsInto(g: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) dst[c] += g[base + c];
  }
}

/**
 * Backward through y = act(z) and the bias: gz = g ⊙ act'(y) written into `gz` (for ReLU, g
 * where y > 0, else 0; with no activation gz is not written and g is used as it is), then
 * db += column sums of gz when db is given.
 */
export function activationBackward(g: Float32Array, y: Float32Array, rows: number, cols: number, activation: Activation, gz: Float32Array | null, db: Float32Array | null): void {
  let src = g;
  if (activation === 'relu' && gz) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) gz[i] = y[i] > 0 ? g[i] : 0;
    src = gz;
  }
  if (db) sumRowsInto(src, rows, cols, db);
}
