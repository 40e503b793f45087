// The training step's fused kernels behind one swappable interface, as the matmul's backend:
// ops and optimizers call `fusedKernels()`, which is the TypeScript reference below unless
// `enableParallel` installs the WASM SIMD versions (kernels/wasm/wasmFused.ts). Those run
// in place on operands that live in the WASM memory and fall back to these for any other.
//
// Arguments are positional (no objects): these run a few times per step and should leave
// no garbage behind.
import type { Activation } from './fusedActivation';
import { columnRuns, gatherColumns, scatterColumns } from './columns';
import { matmulInto } from './matmul';
import { crossEntropyWithGrad } from './loss';
import { adamUpdate, sgdUpdate } from './optim';
import { gatherScaled } from './pixels';
import { activateInPlace, activationBackward, addBiasRows } from './rows';
import { addScaled, reluBits, reluGradBits, reluGradWriteBits } from './elementwise';
import { maxPool, maxPoolGrad, maxPoolGradWrite, type PoolGeometry } from './pool';
import { sumOfSquares, sumOfSquaredDifferences } from './reduce';

export interface FusedKernels {
  /** y [m, n] = act(x [m, k] · wᵀ + bias), w stored [n, k] (PyTorch's Linear), bias [n] or null. */
  linearForward(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, m: number, k: number, n: number, activation: Activation): void;
  /** gz = g ⊙ act'(y) (not written for no activation), db += column sums of it; see rows.ts. */
  activationBackward(g: Float32Array, y: Float32Array, rows: number, cols: number, activation: Activation, gz: Float32Array | null, db: Float32Array | null): void;
  /** Mean softmax cross-entropy of logits [n, c]; writes its gradient (upstream 1) into dlogits unless null. */
  crossEntropy(logits: Float32Array, targets: Int32Array, n: number, c: number, dlogits: Float32Array | null): number;
  /** dst += scale · src */
  addScaled(src: Float32Array, scale: number, dst: Float32Array): void;
  /** Σ x² in float64 (reduce.ts). */
  sumOfSquares(x: Float32Array): number;
  /** Σ (a − b)² in float64 (reduce.ts); a and b have one length. */
  sumOfSquaredDifferences(a: Float32Array, b: Float32Array): number;
  /** out = max(x, 0) on the bits (elementwise.ts reluBits). */
  relu(x: Float32Array, out: Float32Array): void;
  /** dx += g where y > 0 (elementwise.ts reluGradBits). */
  reluGrad(g: Float32Array, y: Float32Array, dx: Float32Array): void;
  /** dx = g where y > 0, else +0: reluGrad into a zeroed dx, for a gradient nothing was added to yet (elementwise.ts reluGradWriteBits). */
  reluGradWrite(g: Float32Array, y: Float32Array, dx: Float32Array): void;
  /** Max pooling's forward over NCHW planes, the winners' flat indices into argmax (pool.ts). */
  maxPool(x: Float32Array, g: PoolGeometry, out: Float32Array, argmax: Int32Array): void;
  /** dx[argmax[o]] += grad[o] (pool.ts). */
  maxPoolGrad(grad: Float32Array, argmax: Int32Array, dx: Float32Array): void;
  /** maxPoolGrad into a zeroed dx, zeroing it a plane (inPlane floats) at a time as it goes (pool.ts maxPoolGradWrite). */
  maxPoolGradWrite(grad: Float32Array, argmax: Int32Array, planes: number, inPlane: number, dx: Float32Array): void;
  adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, beta1: number, beta2: number, stepSize: number, invC2: number, eps: number, weightDecay: number): void;
  sgd(p: Float32Array, g: Float32Array, buf: Float32Array | null, lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean): void;
  /** Gets `images` ready for gatherScaled on this thread (the WASM kernels copy them into their memory, once). */
  prepareGather(images: Uint8Array): void;
  /** out [count, rowLength] = images' rows at `indices` / 255 (indices already checked). */
  gatherScaled(images: Uint8Array, rowLength: number, indices: Int32Array, count: number, out: Float32Array): void;
  /** The runs of columns of x [rows, cols] not zero in every row, as [start, length] pairs in `runs`; returns their number (columns.ts). */
  columnRuns(x: Float32Array, rows: number, cols: number, runs: Int32Array): number;
  /** dst [rows, width] = src's columns in the runs, side by side. */
  gatherColumns(src: Float32Array, rows: number, cols: number, runs: Int32Array, nruns: number, dst: Float32Array): void;
  /** dst's columns in the runs = src [rows, width] (added when `accumulate`; else the other columns become 0). */
  scatterColumns(src: Float32Array, rows: number, runs: Int32Array, nruns: number, dst: Float32Array, cols: number, accumulate: boolean): void;
}

export const referenceFusedKernels: FusedKernels = {
  linearForward(x, w, bias, y, m, k, n, activation) {
    matmulInto({ a: x, b: w, c: y, m, k, n, transA: false, transB: true });
    if (bias) addBiasRows(y, bias, m, n);
    activateInPlace(y, m * n, activation);
  },
  activationBackward,
  crossEntropy: crossEntropyWithGrad,
  addScaled: (src, scale, dst) => addScaled(src, scale, dst),
  sumOfSquares,
  sumOfSquaredDifferences,
  relu: reluBits,
  reluGrad: reluGradBits,
  reluGradWrite: reluGradWriteBits,
  maxPool,
  maxPoolGrad,
  maxPoolGradWrite,
  adam: adamUpdate,
  sgd: sgdUpdate,
  prepareGather: () => undefined,
  gatherScaled,
  columnRuns,
  gatherColumns,
  scatterColumns,
};

let active: FusedKernels = referenceFusedKernels;

/** Install faster kernels (the WASM ones); null restores the reference. */
export function setFusedKernels(kernels: FusedKernels | null): void {
  active = kernels ?? referenceFusedKernels;
}

export function fusedKernels(): FusedKernels {
  return active;
}
