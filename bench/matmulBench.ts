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

export async function benchMatmul(threadCounts: number[], budgetMs: number, rounds: number, torch: TorchSide | null): Promise<MatmulRow[]> {
  const rows: MatmulRow[] = [];
  const memory = threadMemory();
  for (const threads of threadCounts) {
    // minParallelFlops 0 and no backoff: measure the pool itself on every shape, not the
    // small-problem shortcut nor its retreat to one thread when the machine has no core to spare.
    const pool = new ParallelPool({ threads, minParallelFlops: 0, backoff: false });
    await pool.whenReady();
    for (const shape of MATMUL_SHAPES) {
      const heap = randomOperands(shape);
      const resident = (values: Float32Array): Float32Array => {
        const copy = memory.persistentFloat32(values.length);
        copy.set(values);
        return copy;
      };
      const args = { a: resident(heap.a), b: resident(heap.b), c: resident(heap.c), m: shape.m, k: shape.k, n: shape.n, transA: shape.transA, transB: shape.transB };
      const ours: number[] = [];
      const oursCpu: number[] = [];
      const theirs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const t = timeCalls(() => pool.run(args), budgetMs / rounds);
        ours.push(flops(shape) / t.seconds / 1e9);
        oursCpu.push(flops(shape) / t.cpuSeconds / 1e9);
        if (torch) theirs.push(flops(shape) / (await torch.matmul(shape, threads, budgetMs / rounds)).seconds / 1e9);
      }
      const row: MatmulRow = { shape: shape.name, threads, kernel: pool.kernel, gflops: round(median(ours)), gflopsPerCpu: round(median(oursCpu)) };
      if (torch) {
        row.torchGflops = round(median(theirs));
        row.vsTorch = round(median(ours) / median(theirs), 2);
      }
      rows.push(row);
    }
    await pool.shutdown();
  }
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
