// Matmul GFLOPS of our kernels: the pool with 1 thread (the WASM kernel on the calling
// thread) and the full pool, on operands that live in the WASM memory as the training
// step's tensors do; PyTorch's torch.mm on the same shapes in alternating rounds; and, for
// callers whose operands are ordinary arrays, what copying them in and out costs.
import { ParallelPool } from '../src/engine/parallel';
import { threadMemory } from '../src/engine/parallel/runtime';
import { flops, MATMUL_SHAPES, randomOperands } from './shapes';
import { median, round, timeCalls } from './timing';
import type { TorchSide } from './torchBench';

export interface MatmulRow {
  shape: string;
  threads: number;
  kernel: string;
  gflops: number;
  /** FLOPs per CPU-second of the process (≈ GFLOPS per busy core). */
  gflopsPerCpu: number | null;
  torchGflops?: number;
  /** Ours ÷ PyTorch's. */
  vsTorch?: number;
}

/** Each shape on every thread count, ours and PyTorch's, all alternating within each round (so the speed-up and the ratios compare figures measured side by side). */
export async function benchMatmul(threadCounts: number[], budgetMs: number, rounds: number, torch: TorchSide | null): Promise<MatmulRow[]> {
  const rows: MatmulRow[] = [];
  const memory = threadMemory();
  // minParallelFlops 0 and no backoff: measure the pool itself on every shape, not the
  // small-problem shortcut nor its retreat to one thread when the machine has no core to spare.
  const pools = threadCounts.map((threads) => new ParallelPool({ threads, minParallelFlops: 0, backoff: false }));
  await Promise.all(pools.map((p) => p.whenReady()));
  const resident = (values: Float32Array): Float32Array => {
    const copy = memory.persistentFloat32(values.length);
    copy.set(values);
    return copy;
  };
  for (const shape of MATMUL_SHAPES) {
    const heap = randomOperands(shape);
    const args = { a: resident(heap.a), b: resident(heap.b), c: resident(heap.c), m: shape.m, k: shape.k, n: shape.n, transA: shape.transA, transB: shape.transB };
    const ours = threadCounts.map(() => [] as number[]);
    const oursCpu = threadCounts.map(() => [] as number[]);
    const theirs = threadCounts.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (const [i, pool] of pools.entries()) {
        const t = timeCalls(() => pool.run(args), budgetMs / rounds);
        ours[i].push(flops(shape) / t.seconds / 1e9);
        oursCpu[i].push(flops(shape) / t.cpuSeconds / 1e9);
        if (torch) theirs[i].push(flops(shape) / (await torch.matmul(shape, threadCounts[i], budgetMs / rounds)).seconds / 1e9);
      }
    }
    for (const [i, pool] of pools.entries()) {
      const row: MatmulRow = { shape: shape.name, threads: pool.threads, kernel: pool.kernel, gflops: round(median(ours[i])), gflopsPerCpu: round(median(oursCpu[i])) };
      if (torch) {
        row.torchGflops = round(median(theirs[i]));
        row.vsTorch = round(median(ours[i]) / median(theirs[i]), 2);
      }
      rows.push(row);
    }
  }
  await Promise.all(pools.map((p) => p.shutdown()));
  return rows;
}

/** For operands in ordinary arrays: a single-thread 32×784×128 matmul, and the part of it spent copying them into and out of WASM memory. */
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
