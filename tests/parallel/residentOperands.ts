// Operands for the tests of single WASM kernels: the calling thread's runtime (these tests need
// the built kernels) and seeded floats placed in its memory, where the kernels read them.
import type { WasmRuntime } from '../../src/engine/kernels/wasm/runtime';
import { threadRuntime } from '../../src/engine/parallel/runtime';

export function wasmRuntime(): WasmRuntime {
  const runtime = threadRuntime();
  if (!runtime) throw new Error('these tests need the WASM kernels (npm run build:wasm)');
  return runtime;
}

/**
 * A maker of resident arrays: `length` floats in `runtime`'s memory, each `fill` if given, else
 * drawn uniformly from [−1, 1) by a generator seeded with `seed` (one draw after another across calls).
 */
export function residentFloats(runtime: WasmRuntime, seed: number): (length: number, fill?: number) => Float32Array {
  let state = seed;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
  return (length, fill) => {
    const a = runtime.memory.persistentFloat32(length);
    for (let i = 0; i < length; i++) a[i] = fill ?? random();
    return a;
  };
}
