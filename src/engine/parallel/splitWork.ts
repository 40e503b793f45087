// How a matmul is cut into blocks for the pool, and the rectangle of C each block covers.
import type { MatmulRange } from '../kernels/matmulBlocked';
import type { Task } from './controlBlock';

// Bands are multiples of the WASM micro-tile (4 rows × 8 columns) so no tile straddles two threads.
const ROW_ALIGN = 4;
const COL_ALIGN = 8;
/** Above this many FLOPs per thread, cut finer (FINE_BLOCKS per thread) so a thread slowed down
 * by other processes on the machine does not hold everyone up. Below it, one block per thread:
 * every block re-packs its panel of the other operand, which costs more than it balances. */
const FINE_SPLIT_FLOPS_PER_THREAD = 32e6;
/**
 * Blocks per thread above that size. Each block packs all of B again (4 MB for 1024³): on the
 * quiet machine, 1024³ on 2 threads went 1.93× one thread's speed with 1 block each, 1.85× with
 * 2, 1.77× with 4 (medians of 14 interleaved rounds); with another process busy on a core all
 * three gave 1.03–1.08×. Two keeps some balance for a core that is slowed for a while.
 */
const FINE_BLOCKS = 2;

export interface Split {
  splitRows: boolean;
  band: number;
  blocks: number;
}

/** How to cut an m×k×n matmul for `threads` threads, written into `out` (the pool's task). */
export function planSplit(m: number, k: number, n: number, threads: number, out: Split = { splitRows: true, band: 0, blocks: 0 }): Split {
  // A row band re-packs all of B, a column band all of A: cut the dimension whose
  // duplicate packing is cheaper (B is k×n, A is m×k).
  const splitRows = m >= n;
  const extent = splitRows ? m : n;
  const align = splitRows ? ROW_ALIGN : COL_ALIGN;
  const flopsPerThread = (2 * m * n * k) / threads;
  const wanted = flopsPerThread > FINE_SPLIT_FLOPS_PER_THREAD ? threads * FINE_BLOCKS : threads;
  const band = Math.max(align, Math.ceil(extent / wanted / align) * align);
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
