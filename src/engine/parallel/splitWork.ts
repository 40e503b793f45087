// How a matmul is cut into blocks for the pool, and the rectangle of C each block covers.
import type { MatmulRange } from '../kernels/matmulBlocked';
import type { Task } from './controlBlock';

// Bands are multiples of the WASM micro-tile (4 rows × 8 columns) so no tile straddles two threads.
const ROW_ALIGN = 4;
const COL_ALIGN = 8;
/** Above this many FLOPs per thread, cut finer (4 blocks per thread) so a thread slowed down by
 * other processes on the machine does not hold everyone up. Below it, one block per thread:
 * every block re-packs its panel of the other operand, which costs more than it balances. */
const FINE_SPLIT_FLOPS_PER_THREAD = 32e6;

export interface Split {
  splitRows: boolean;
  band: number;
  blocks: number;
}

export function planSplit(m: number, k: number, n: number, threads: number): Split {
  // A row band re-packs all of B, a column band all of A: cut the dimension whose
  // duplicate packing is cheaper (B is k×n, A is m×k).
  const splitRows = m >= n;
  const extent = splitRows ? m : n;
  const align = splitRows ? ROW_ALIGN : COL_ALIGN;
  const flopsPerThread = (2 * m * n * k) / threads;
  const wanted = flopsPerThread > FINE_SPLIT_FLOPS_PER_THREAD ? threads * 4 : threads;
  const band = Math.max(align, Math.ceil(extent / wanted / align) * align);
  return { splitRows, band, blocks: Math.ceil(extent / band) };
}

export function blockRange(task: Task, block: number): MatmulRange {
  const start = block * task.band;
  if (task.splitRows) return { i0: start, i1: Math.min(task.m, start + task.band), j0: 0, j1: task.n };
  return { i0: 0, i1: task.m, j0: start, j1: Math.min(task.n, start + task.band) };
}
