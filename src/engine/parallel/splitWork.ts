// How a matmul is cut into blocks for the pool, and the rectangle of C each block covers.
import type { MatmulRange } from '../kernels/matmulBlocked';
import type { Task } from './controlBlock';

// Bands are multiples of the WASM micro-tile (4 rows × 8 columns) so no tile straddles two threads.
const ROW_ALIGN = 4;
const COL_ALIGN = 8;
// One block per thread, whatever the size. Every block packs all of the other operand again
// (4 MB of B for 1024³), so cutting finer for balance costs more than the balance wins: 1024³
// on 2 threads against one thread, medians of 14 interleaved rounds, was 1.93× with one block
// per thread, 1.85× with 2 and 1.77× with 4 on the quiet machine; 1.95× against 1.79× on
// another day; and when another process slowed one core, 1.53× against 1.52× and 1.03–1.08×
// for all of them: never worse.

export interface Split {
  splitRows: boolean;
  band: number;
  blocks: number;
}

/** How to cut an m×k×n matmul (k plays no part) for `threads` threads, written into `out` (the pool's task). */
export function planSplit(m: number, n: number, threads: number, out: Split = { splitRows: true, band: 0, blocks: 0 }): Split {
  // A row band re-packs all of B, a column band all of A: cut the dimension whose
  // duplicate packing is cheaper (B is k×n, A is m×k).
  const splitRows = m >= n;
  const extent = splitRows ? m : n;
  const align = splitRows ? ROW_ALIGN : COL_ALIGN;
  const band = Math.max(align, Math.ceil(extent / threads / align) * align);
  out.splitRows = splitRows;
  out.band = band;
  out.blocks = Math.ceil(extent / band);
  return out;
}

/** The rectangle of C that `block` covers, written into `out` (no garbage per block). */
export function blockRange(task: Task, block: number, out: MatmulRange = { i0: 0, i1: 0, j0: 0, j1: 0 }): MatmulRange {
  const start = block * task.band;
  if (task.splitRows) {
    out.i0 = start;
    out.i1 = Math.min(task.m, start + task.band);
    out.j0 = 0;
    out.j1 = task.n;
  } else {
    out.i0 = 0;
    out.i1 = task.m;
    out.j0 = start;
    out.j1 = Math.min(task.n, start + task.band);
  }
  return out;
}
