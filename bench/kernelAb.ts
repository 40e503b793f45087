// Two builds of the WASM kernels side by side in one process, each in a memory of its own, the
// gemm shapes a training step gives them alternating in short windows (so a noisy machine slows
// both alike): GFLOPS of each and the per-round ratio. For judging a kernel change:
//   cp build/wasm/kernels.wasm /tmp/old.wasm; (change, npm run build:wasm)
//   npx tsx bench/kernelAb.ts /tmp/old.wasm build/wasm/kernels.wasm [--rounds 15] [--window-ms 100]
// Operands live in each memory (as the step's tensors do); one thread. A shape whose kernel one
// build lacks (dotRows, in a build older than it) is left out; the weight gradient's rows, by the
// gemm and by dotRows, compare the two kernels within each build.
import { readFileSync } from 'node:fs';
import { EngineMemory } from '../src/engine/kernels/wasm/engineMemory';
import type { KernelExports } from '../src/engine/kernels/wasm/kernelExports';
import { instantiate, wasmApi } from '../src/engine/kernels/wasm/wasmApi';
import { positiveInteger } from './flags';
import { flops, randomOperands, type MatmulShape } from './shapes';
import { median, round, timeCalls } from './timing';

/** A product and the kernel that runs it: the gemm, or dotRows (A·Bᵀ as dot products of rows, a convolution's weight gradient). */
type Shape = MatmulShape & { kernel?: 'gemm' | 'dotRows' };

/** A slice of the batch for the convolutions (what one conv block multiplies), whole matrices for the MLP. */
const SHAPES: readonly Shape[] = [
  { name: 'lenet conv2 forward W·cols', m: 16, k: 150, n: 3200, transA: false, transB: false },
  { name: 'lenet conv1 forward W·cols', m: 6, k: 25, n: 6272, transA: false, transB: false },
  { name: 'cnn conv2 forward W·cols', m: 16, k: 200, n: 3136, transA: false, transB: false },
  // The weight gradient as the gemm ran it before, and as dotRows runs it now (a slice of 4 samples).
  { name: 'lenet conv2 weight grad G·colsᵀ, gemm', m: 16, k: 400, n: 150, transA: false, transB: true },
  { name: 'lenet conv2 weight grad G·colsᵀ, dotRows', m: 16, k: 400, n: 150, transA: false, transB: true, kernel: 'dotRows' },
  { name: 'lenet conv1 weight grad G·colsᵀ, gemm', m: 6, k: 3136, n: 25, transA: false, transB: true },
  { name: 'lenet conv1 weight grad G·colsᵀ, dotRows', m: 6, k: 3136, n: 25, transA: false, transB: true, kernel: 'dotRows' },
  { name: 'lenet conv2 input grad Wᵀ·G', m: 150, k: 16, n: 3200, transA: true, transB: false },
  { name: 'mlp forward x·Wᵀ, batch 32', m: 32, k: 784, n: 128, transA: false, transB: true },
  { name: 'mlp weight grad Gᵀ·x, batch 32', m: 128, k: 32, n: 784, transA: true, transB: false },
  { name: 'mlp weight grad Gᵀ·x, batch 256', m: 128, k: 256, n: 784, transA: true, transB: false },
  { name: '1024³', m: 1024, k: 1024, n: 1024, transA: false, transB: false },
];

interface Side {
  memory: EngineMemory;
  kernels: KernelExports;
  scratch: number;
}

function side(path: string): Side {
  const memory = new EngineMemory();
  // Not instantiateKernels: it refuses a build that lacks a kernel the engine needs now, and an older build is
  // what this compares against (a shape whose kernel one side lacks is skipped).
  const kernels = instantiate(new (wasmApi().Module)(new Uint8Array(readFileSync(path))), memory.memory) as unknown as KernelExports;
  return { memory, kernels, scratch: memory.alloc(kernels.scratchBytes()) };
}

/** The shape's operands, placed in this side's memory as the step's tensors are. */
function operands(s: Side, shape: MatmulShape): { a: number; b: number; c: number } {
  const place = (values: Float32Array): number => {
    const at = s.memory.alloc(values.length * 4);
    new Float32Array(s.memory.memory.buffer, at, values.length).set(values);
    return at;
  };
  const { a, b, c } = randomOperands(shape);
  return { a: place(a), b: place(b), c: place(c) };
}

function gflops(s: Side, shape: Shape, at: { a: number; b: number; c: number }, windowMs: number): number {
  const { m, k, n } = shape;
  const call =
    shape.kernel === 'dotRows' ? () => s.kernels.dotRows(at.a, at.b, at.c, m, k, n, 0) : () => s.kernels.gemm(at.a, at.b, at.c, m, k, n, +shape.transA, +shape.transB, 0, 0, m, 0, n, s.scratch, 0, 0);
  const t = timeCalls(call, windowMs, 1);
  return flops(shape) / t.seconds / 1e9;
}

/** Whether both builds have the shape's kernel (a build older than dotRows has only the gemm). */
function runsOnBoth(sides: Side[], shape: Shape): boolean {
  return sides.every((s) => typeof (s.kernels as unknown as Record<string, unknown>)[shape.kernel ?? 'gemm'] === 'function');
}

function main(argv: string[]): void {
  const [oldPath, newPath] = argv;
  const usage = 'usage: npx tsx bench/kernelAb.ts OLD.wasm NEW.wasm [--rounds N] [--window-ms MS]';
  if (!oldPath || !newPath || oldPath.startsWith('--') || newPath.startsWith('--')) throw new Error(usage);
  const flag = (name: string, fallback: number): number => {
    const i = argv.indexOf(name);
    return i < 0 ? fallback : positiveInteger(name, argv[i + 1], usage);
  };
  const rounds = flag('--rounds', 15);
  const windowMs = flag('--window-ms', 100);
  const sides = [side(oldPath), side(newPath)];
  const rows = SHAPES.filter((shape) => runsOnBoth(sides, shape)).map((shape) => {
    const at = sides.map((s) => operands(s, shape));
    const old: number[] = [];
    const now: number[] = [];
    for (let r = 0; r < rounds; r++) {
      old.push(gflops(sides[0], shape, at[0], windowMs));
      now.push(gflops(sides[1], shape, at[1], windowMs));
    }
    const ratios = now.map((v, i) => v / old[i]);
    return {
      shape: shape.name,
      oldGflops: round(median(old)),
      newGflops: round(median(now)),
      ratio: round(median(ratios), 2),
      lowest: round(Math.min(...ratios), 2),
      highest: round(Math.max(...ratios), 2),
    };
  });
  console.table(rows);
}

main(process.argv.slice(2));
