// Where sharing a matmul with the workers starts to pay: times each size on the calling
// thread alone and on the full pool, and reports the smallest size (in FLOPs) from which
// the pool is faster. This is how DEFAULT_MIN_PARALLEL_FLOPS in src/engine/parallel/pool.ts
// was chosen.
import { ParallelPool } from '../src/engine/parallel';
import { round, timeCalls } from './timing';

export interface ThresholdRow {
  shape: string;
  flops: number;
  aloneMicros: number;
  poolMicros: number;
}

export async function benchThreshold(threads: number, budgetMs: number): Promise<{ rows: ThresholdRow[]; crossoverFlops: number | null }> {
  const alone = new ParallelPool({ threads: 1 });
  const pool = new ParallelPool({ threads, minParallelFlops: 0 });
  await pool.whenReady();
  const rows: ThresholdRow[] = [];
  for (const [m, k, n] of [
    [4, 64, 64],
    [8, 128, 64],
    [16, 128, 128],
    [16, 256, 128],
    [32, 256, 128],
    [32, 784, 64],
    [32, 784, 128],
    [64, 784, 128],
    [128, 784, 128],
  ]) {
    const a = new Float32Array(m * k).fill(0.5);
    const b = new Float32Array(k * n).fill(0.25);
    const c = new Float32Array(m * n);
    const args = { a, b, c, m, k, n, transA: false, transB: true };
    const t1 = timeCalls(() => alone.run(args), budgetMs);
    const tp = timeCalls(() => pool.run(args), budgetMs);
    rows.push({ shape: `${m}×${k}×${n}`, flops: 2 * m * k * n, aloneMicros: round(t1.seconds * 1e6), poolMicros: round(tp.seconds * 1e6) });
  }
  await Promise.all([alone.shutdown(), pool.shutdown()]);
  // The smallest size from which the pool wins at every larger size.
  let crossoverFlops: number | null = null;
  for (let i = rows.length - 1; i >= 0 && rows[i].poolMicros < rows[i].aloneMicros; i--) crossoverFlops = rows[i].flops;
  return { rows, crossoverFlops };
}
