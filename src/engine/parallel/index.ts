// The app's switch for fast compute: one pool per thread that enables it.
//
//   enableParallel({ threads })  → matmuls and convolutions run on the pool (WASM SIMD kernel
//                                  when built); with the WASM kernels, tensor storage that
//                                  kernels read in place (parameters, optimizer state, step
//                                  arenas) comes from their memory and the training step's
//                                  fused kernels run there too
//   shutdownParallel()           → workers stop; the reference kernels and heap storage are back
//
// Tensors already placed in the WASM memory stay valid after shutdown (the memory belongs to
// the thread, see runtime.ts); they are simply read through the reference kernels then.
import { setConvBackend } from '../kernels/conv';
import { setFusedKernels } from '../kernels/fused';
import { setMatmulBackend } from '../kernels/matmul';
import { createWasmFusedKernels } from '../kernels/wasm/wasmFused';
import { setStorageProvider } from '../storage';
import { ParallelPool, type ParallelOptions } from './pool';
import { createPoolConv } from './poolConv';
import { threadRuntime } from './runtime';

export { ParallelPool, type ParallelOptions } from './pool';
export { wasmUnavailableReason } from './wasmModule';

let active: ParallelPool | null = null;

/** Installs a pool as the matmul, conv and fused-kernel backend (replacing any previous one) and returns it. Workers start lazily. */
export function enableParallel(options: ParallelOptions = {}): ParallelPool {
  if (active) void active.shutdown();
  const pool = new ParallelPool(options);
  active = pool;
  setMatmulBackend(pool.matmul);
  const runtime = pool.kernel === 'wasm' ? threadRuntime() : null;
  if (runtime) {
    setStorageProvider(runtime.storage);
    setFusedKernels(createWasmFusedKernels(runtime, pool));
    setConvBackend(createPoolConv(pool, runtime));
  } else {
    setStorageProvider(null);
    setFusedKernels(null);
    setConvBackend(null);
  }
  return pool;
}

/** Restores the reference kernels and heap storage, and stops the workers (the promise settles when they have exited). */
export function shutdownParallel(): Promise<void> {
  const pool = active;
  active = null;
  setMatmulBackend(null);
  setConvBackend(null);
  setFusedKernels(null);
  setStorageProvider(null);
  return pool ? pool.shutdown() : Promise.resolve();
}
