// This thread's WASM memory and kernels, made once and kept for the thread's life: every pool
// the thread creates computes in the same memory, so tensors placed there stay usable
// across enableParallel / shutdownParallel cycles.
import { EngineMemory } from '../kernels/wasm/engineMemory';
import { WasmRuntime } from '../kernels/wasm/runtime';
import { loadWasmModule } from './wasmModule';

let memory: EngineMemory | null = null;
let runtime: WasmRuntime | null | undefined;

/** The thread's memory (the pool stages and computes in it even without the WASM kernels). */
export function threadMemory(): EngineMemory {
  memory ??= new EngineMemory();
  return memory;
}

/** The thread's WASM kernels over that memory, or null when the module is not built. */
export function threadRuntime(): WasmRuntime | null {
  if (runtime === undefined) {
    const module = loadWasmModule();
    runtime = module ? new WasmRuntime(module, threadMemory()) : null;
  }
  return runtime;
}
