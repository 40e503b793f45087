// Shared fixtures for the matmul tests: awkward shapes, seeded operands, a tolerance check.
import { matmulReference, type MatmulArgs, type MatmulKernel } from '../../src/engine/kernels/matmul';

/** [m, k, n]: degenerate, odd, thin, and the training shapes. */
export const SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [33, 65, 17],
  [1, 784, 128],
  [257, 129, 3],
  [32, 784, 128],
  [5, 300, 9],
  [3, 2, 70],
  [4, 0, 6],
];

export const VARIANTS = [
  { transA: false, transB: false },
  { transA: true, transB: false },
  { transA: false, transB: true },
  { transA: true, transB: true },
] as const;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

export function makeCase(m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean, seed = 1): MatmulArgs {
  const rnd = lcg(seed + m * 7919 + k * 104729 + n * 31);
  const fill = (len: number): Float32Array => Float32Array.from({ length: len }, rnd);
  return { a: fill(m * k), b: fill(k * n), c: fill(m * n), m, k, n, transA, transB, accumulate };
}

export function cloneCase(args: MatmulArgs): MatmulArgs {
  return { ...args, c: args.c.slice() };
}

/** Largest |x - y| relative to the size of the sum (k terms of magnitude ≤ 0.25). */
function maxError(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length) throw new Error(`length ${x.length} vs ${y.length}`);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

export const TOLERANCE = 1e-4;

/** Runs `kernel` and the reference on copies of the case; returns maxError between the two Cs. */
export function errorVsReference(kernel: MatmulKernel, args: MatmulArgs): number {
  const want = cloneCase(args);
  matmulReference(want);
  const got = cloneCase(args);
  kernel(got);
  return maxError(got.c, want.c);
}

export function label(args: MatmulArgs): string {
  return `${args.m}×${args.k}×${args.n}${args.transA ? ' Aᵀ' : ''}${args.transB ? ' Bᵀ' : ''}${args.accumulate ? ' +=' : ''}`;
}

/** Number of elements whose bits differ (expect(...).toEqual on big typed arrays is very slow). */
export function bitMismatches(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length) return Math.max(x.length, y.length);
  const xi = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const yi = new Uint32Array(y.buffer, y.byteOffset, y.length);
  let count = 0;
  for (let i = 0; i < xi.length; i++) if (xi[i] !== yi[i]) count++;
  return count;
}
