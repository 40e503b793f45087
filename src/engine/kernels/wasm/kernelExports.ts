// The WASM module's exports (matmul.as.ts, dotRows.as.ts, fused.as.ts, conv.as.ts and pool.as.ts), typed, and their instantiation
// over a memory. Every pointer is a byte offset in that memory.
import { instantiate, type WasmMemory, type WasmModule } from './wasmApi';

export interface KernelExports {
  /** C rows [i0,i1) × cols [j0,j1) = act(op(A)·op(B) (+ C) + bias); bias 0 for none, act 0 none / 1 ReLU. */
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    transA: number,
    transB: number,
    accumulate: number,
    i0: number,
    i1: number,
    j0: number,
    j1: number,
    scratch: number,
    bias: number,
    act: number,
  ): void;
  /** C (+)= A·Bᵀ as dot products of rows, A [m, k], B [n, k] (dotRows.as.ts; a convolution's weight gradient). */
  dotRows(a: number, b: number, c: number, m: number, k: number, n: number, accumulate: number): void;
  /** Bytes of scratch one thread's gemm needs. */
  scratchBytes(): number;
  activationBackward(g: number, y: number, rows: number, cols: number, act: number, gz: number, db: number): void;
  crossEntropy(logits: number, targets: number, n: number, c: number, dlogits: number): number;
  addScaled(src: number, scale: number, dst: number, n: number): void;
  sumOfSquares(x: number, n: number): number;
  sumOfSquaredDifferences(a: number, b: number, n: number): number;
  relu(x: number, out: number, n: number): void;
  reluGrad(g: number, y: number, dx: number, n: number): void;
  reluGradWrite(g: number, y: number, dx: number, n: number): void;
  /** Max pooling (pool.as.ts) over planes [first, first + planes) of the whole x, out and argmax. */
  maxPool(
    x: number,
    first: number,
    planes: number,
    h: number,
    w: number,
    kH: number,
    kW: number,
    sH: number,
    sW: number,
    pH: number,
    pW: number,
    oH: number,
    oW: number,
    out: number,
    argmax: number,
  ): void;
  maxPoolGrad(g: number, argmax: number, count: number, dx: number): void;
  /** Planes [first, first + planes) of the whole g, argmax and dx. */
  maxPoolGradWrite(g: number, argmax: number, first: number, planes: number, outPlane: number, inPlane: number, dx: number): void;
  /** keep1 = 1 − beta1 and keep2 = 1 − beta2, computed before rounding to float32 (fused.as.ts). */
  adam(p: number, g: number, m: number, v: number, n: number, beta1: number, keep1: number, beta2: number, keep2: number, stepSize: number, invC2: number, eps: number, wd: number): void;
  sgd(p: number, g: number, buf: number, n: number, lr: number, momentum: number, dampening: number, wd: number, nesterov: number, first: number): void;
  gatherScaled(images: number, rowBytes: number, indices: number, count: number, out: number): void;
  columnRuns(x: number, rows: number, cols: number, runs: number): number;
  gatherColumns(src: number, rows: number, cols: number, runs: number, nruns: number, dst: number): void;
  scatterColumns(src: number, rows: number, runs: number, nruns: number, dst: number, cols: number, accumulate: number): void;
  /** Convolution's data movement (conv.as.ts; layouts in kernels/conv.ts), geometry n, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW. */
  im2col(x: number, ...rest: [...ConvDims, number]): void;
  col2im(cols: number, ...rest: [...ConvDims, number]): void;
  channelsToBatch(yT: number, bias: number, n: number, o: number, p: number, y: number): void;
  batchToChannels(g: number, n: number, o: number, p: number, gT: number): void;
  sumChannels(g: number, n: number, o: number, p: number, db: number): void;
}

/** A convolution's geometry as the WASM kernels take it (kernels/conv.ts ConvGeometry, in that order). */
export type ConvDims = [n: number, c: number, h: number, w: number, kH: number, kW: number, sH: number, sW: number, pH: number, pW: number, oH: number, oW: number];

const FUNCTIONS: readonly (keyof KernelExports)[] = [
  'gemm',
  'dotRows',
  'scratchBytes',
  'activationBackward',
  'crossEntropy',
  'addScaled',
  'sumOfSquares',
  'sumOfSquaredDifferences',
  'relu',
  'reluGrad',
  'reluGradWrite',
  'maxPool',
  'maxPoolGrad',
  'maxPoolGradWrite',
  'adam',
  'sgd',
  'gatherScaled',
  'columnRuns',
  'gatherColumns',
  'scatterColumns',
  'im2col',
  'col2im',
  'channelsToBatch',
  'batchToChannels',
  'sumChannels',
];

/**
 * The parameter counts of the exports whose signature changed since they were first built: a module compiled from
 * older sources would take the new arguments in the old places (adam gained keep1 and keep2).
 */
const ARITY: Partial<Record<keyof KernelExports, number>> = { adam: 13 };

export function instantiateKernels(module: WasmModule, memory: WasmMemory): KernelExports {
  const exports = instantiate(module, memory);
  const missing = FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`the WASM kernel module lacks ${missing.join(', ')}; rebuild it with \`npm run build:wasm\``);
  }
  // An exported WebAssembly function's length is its parameter count.
  const stale = Object.entries(ARITY).filter(([name, count]) => (exports[name] as (...args: number[]) => unknown).length !== count);
  if (stale.length > 0) {
    throw new Error(`the WASM kernel module is older than its sources (${stale.map(([name]) => name).join(', ')}); rebuild it with \`npm run build:wasm\``);
  }
  return exports as unknown as KernelExports;
}
