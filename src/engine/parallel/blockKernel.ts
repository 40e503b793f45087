// Computes one block of a pool task, on whichever thread claimed it: with this thread's
// instance of the WASM kernel when there is one, else with the TypeScript kernel over
// views of the same shared memory.
import { matmulBlocked } from '../kernels/matmulBlocked';
import type { GemmExports } from '../kernels/wasm/gemmMemory';
import type { WasmMemory } from '../kernels/wasm/wasmApi';
import type { Task } from './controlBlock';
import { blockRange } from './splitWork';

export type BlockKernel = (task: Task, block: number) => void;

export function wasmBlockKernel(gemm: GemmExports, scratch: number): BlockKernel {
  return (t, block) => {
    const r = blockRange(t, block);
    gemm.gemm(t.a, t.b, t.c, t.m, t.k, t.n, +t.transA, +t.transB, +t.accumulate, r.i0, r.i1, r.j0, r.j1, scratch);
  };
}

export function tsBlockKernel(memory: WasmMemory): BlockKernel {
  let floats = new Float32Array(memory.buffer);
  return (t, block) => {
    // The caller may have grown the memory since this thread last looked (C lies last).
    // Not `memory.buffer` every call: for shared memory each read makes a new object.
    if ((t.c >> 2) + t.m * t.n > floats.length) floats = new Float32Array(memory.buffer);
    const view = (ptr: number, len: number): Float32Array => floats.subarray(ptr >> 2, (ptr >> 2) + len);
    const args = {
      a: view(t.a, t.m * t.k), b: view(t.b, t.k * t.n), c: view(t.c, t.m * t.n),
      m: t.m, k: t.k, n: t.n, transA: t.transA, transB: t.transB, accumulate: t.accumulate,
    };
    matmulBlocked(args, blockRange(t, block));
  };
}
