// Matmul GFLOPS of our kernels: the pool with 1 thread (the WASM kernel on the calling
// thread, copies included) and the full pool; plus what the copy into WASM memory costs.
import { ParallelPool } from '../src/engine/parallel';
import { flops, MATMUL_SHAPES, randomOperands } from './shapes';
import { round, timeCalls } from './timing';

export interface MatmulRow {
  shape: string;
  threads: number;
  kernel: string;
  gflops: number;
  /** FLOPs per CPU-second of the process (≈ GFLOPS per busy core). */
  gflopsPerCpu: number | null;
}

export async function benchMatmul(threadCounts: number[], budgetMs: number): Promise<MatmulRow[]> {
  const rows: MatmulRow[] = [];
  for (const threads of threadCounts) {
    // minParallelFlops 0: measure the pool itself on every shape, not the small-problem shortcut.
    const pool = new ParallelPool({ threads, minParallelFlops: 0 });
    await pool.whenReady();
    for (const shape of MATMUL_SHAPES) {
      const { a, b, c } = randomOperands(shape);
      const args = { a, b, c, m: shape.m, k: shape.k, n: shape.n, transA: shape.transA, transB: shape.transB };
      const t = timeCalls(() => pool.run(args), budgetMs);
      rows.push({
        shape: shape.name, threads, kernel: pool.kernel,
        gflops: round(flops(shape) / t.seconds / 1e9), gflopsPerCpu: round(flops(shape) / t.cpuSeconds / 1e9),
      });
    }
    await pool.shutdown();
  }
  return rows;
}

/** Share of a single-thread 32×784×128 matmul spent copying operands into and out of WASM memory. */
export function copyShare(budgetMs: number): { copyMicros: number; matmulMicros: number } {
  const shape = MATMUL_SHAPES[0];
  const { a, b, c } = randomOperands(shape);
  const pool = new ParallelPool({ threads: 1 });
  const args = { a, b, c, m: shape.m, k: shape.k, n: shape.n, transA: shape.transA, transB: shape.transB };
  const matmul = timeCalls(() => pool.run(args), budgetMs);
  const staging = new Float32Array(a.length + b.length + c.length);
  const copy = timeCalls(() => {
    staging.set(a, 0);
    staging.set(b, a.length);
    c.set(staging.subarray(0, c.length));
  }, budgetMs);
  void pool.shutdown();
  return { copyMicros: round(copy.seconds * 1e6), matmulMicros: round(matmul.seconds * 1e6) };
}
