// Computes one block of a pool task, on whichever thread claimed it: with this thread's
// instance of the WASM kernel when there is one, else with the TypeScript kernel over
// views of the same shared memory.
import { matmulBlocked, type MatmulRange } from '../kernels/matmulBlocked';
import type { KernelExports } from '../kernels/wasm/kernelExports';
import type { WasmMemory } from '../kernels/wasm/wasmApi';
import { Op, type Task, type UpdateTask } from './controlBlock';
import { blockRange } from './splitWork';

export type BlockKernel = (task: Task, block: number) => void;

export function wasmBlockKernel(kernels: KernelExports, scratch: number): BlockKernel {
  const r: MatmulRange = { i0: 0, i1: 0, j0: 0, j1: 0 };
  return (t, block) => {
    blockRange(t, block, r);
    kernels.gemm(t.a, t.b, t.c, t.m, t.k, t.n, +t.transA, +t.transB, +t.accumulate, r.i0, r.i1, r.j0, r.j1, scratch, t.bias, t.act);
  };
}

export function tsBlockKernel(memory: WasmMemory): BlockKernel {
  let floats = new Float32Array(memory.buffer);
  return (t, block) => {
    // The caller may have grown the memory since this thread last looked.
    // Not `memory.buffer` every call: for shared memory each read makes a new object.
    const end = Math.max(t.a + t.m * t.k * 4, t.b + t.k * t.n * 4, t.c + t.m * t.n * 4, t.bias + t.n * 4);
    if (end > floats.byteLength) floats = new Float32Array(memory.buffer);
    const view = (ptr: number, len: number): Float32Array => floats.subarray(ptr >> 2, (ptr >> 2) + len);
    const args = {
      a: view(t.a, t.m * t.k),
      b: view(t.b, t.k * t.n),
      c: view(t.c, t.m * t.n),
      m: t.m,
      k: t.k,
      n: t.n,
      transA: t.transA,
      transB: t.transB,
      accumulate: t.accumulate,
    };
    const r = blockRange(t, block);
    matmulBlocked(args, r);
    if (t.bias !== 0 || t.act !== 0) epilogue(args.c, t.n, r, t.bias ? view(t.bias, t.n) : null, t.act);
  };
}

/**
 * One block of an optimizer update (Op.ADAM / Op.SGD): elements [block·band, +band) of the
 * parameter, hyper-parameters from the control block's float slots. Element-wise, so any
 * split gives the same bits as one call over everything.
 */
export function runUpdateBlock(kernels: KernelExports, op: number, t: UpdateTask, f: Float32Array, flags: number, block: number): void {
  const start = block * t.band;
  const length = Math.min(t.band, t.n - start);
  const at = start * 4;
  if (op === Op.ADAM) kernels.adam(t.p + at, t.g + at, t.m + at, t.v + at, length, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
  else kernels.sgd(t.p + at, t.g + at, t.m ? t.m + at : 0, length, f[0], f[1], f[2], f[3], flags & 1, (flags >> 1) & 1);
}

/** The fused Linear epilogue over one rectangle of C: + bias, then ReLU (act 1). */
function epilogue(c: Float32Array, n: number, r: MatmulRange, bias: Float32Array | null, act: number): void {
  for (let i = r.i0; i < r.i1; i++) {
    for (let j = r.j0; j < r.j1; j++) {
      let v = c[i * n + j];
      if (bias) v += bias[j];
      if (act === 1) v = v > 0 ? v : 0;
      c[i * n + j] = v;
    }
  }
}
