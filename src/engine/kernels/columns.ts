// The columns of a [rows, cols] matrix that are not zero in every row, kept as runs of
// consecutive columns, and copying those columns out and back in. A Linear layer whose input
// has whole columns of zeros (the pixels no digit in the batch touches: 42 % of them at
// batch 32) multiplies only the others (ops/linear.ts).

/**
 * Writes [start, length] pairs of the runs of columns of x [rows, cols] that are non-zero in
 * some row into `runs` (length ≥ cols + 1); returns how many runs. ±0 counts as zero, NaN not.
 */
export function columnRuns(x: Float32Array, rows: number, cols: number, runs: Int32Array): number {
  let count = 0;
  let start = -1;
  for (let c = 0; c < cols; c++) {
    let nonzero = false;
    for (let r = 0; r < rows && !nonzero; r++) nonzero = x[r * cols + c] !== 0;
    if (nonzero && start < 0) start = c;
    if (!nonzero && start >= 0) {
      runs[2 * count] = start;
      runs[2 * count + 1] = c - start;
      count++;
      start = -1;
    }
  }
  if (start >= 0) {
    runs[2 * count] = start;
    runs[2 * count + 1] = cols - start;
    count++;
  }
  return count;
}

/** Columns covered by the first `nruns` runs. */
export function runsWidth(runs: Int32Array, nruns: number): number {
  let width = 0;
  for (let k = 0; k < nruns; k++) width += runs[2 * k + 1];
  return width;
}

/** dst [rows, width] = the columns of src [rows, cols] in the runs, side by side. */
export function gatherColumns(src: Float32Array, rows: number, cols: number, runs: Int32Array, nruns: number, dst: Float32Array): void {
  let out = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < nruns; k++) {
      const from = r * cols + runs[2 * k];
      dst.set(src.subarray(from, from + runs[2 * k + 1]), out);
      out += runs[2 * k + 1];
    }
  }
}

/**
 * The columns of dst [rows, cols] in the runs = src [rows, width], added when `accumulate`;
 * without, dst's other columns become zero.
 */
export function scatterColumns(src: Float32Array, rows: number, runs: Int32Array, nruns: number, dst: Float32Array, cols: number, accumulate: boolean): void {
  if (!accumulate) dst.fill(0, 0, rows * cols);
  let from = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < nruns; k++) {
      const to = r * cols + runs[2 * k];
      const length = runs[2 * k + 1];
      if (accumulate) for (let q = 0; q < length; q++) dst[to + q] += src[from + q];
      else dst.set(src.subarray(from, from + length), to);
      from += length;
    }
  }
}
