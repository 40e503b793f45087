// Row-wise loops over a [rows, cols] matrix: the bias add of Linear and its gradient.

/** y[r, c] += bias[c] for every row. */
export function addBiasRows(y: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) y[base + c] += bias[c];
  }
}

/** dst[c] += Σ_r g[r, c] (column sums, accumulated). */
export function sumRowsInto(g: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) dst[c] += g[base + c];
  }
}
