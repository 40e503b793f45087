// The app's switch for parallel compute: one pool per thread that enables it.
//
//   enableParallel({ threads })  → matmuls and convolutions run on the pool (WASM SIMD kernel when built)
//   shutdownParallel()           → workers stop, the reference kernel is back
//
// Tensor storage stays ordinary ArrayBuffers: WASM can only address its own memory, so the
// operands are copied into the pool's shared memory either way, and a SharedArrayBuffer per
// tensor would buy nothing. Only tensors living inside the WASM memory would avoid the copy;
// that needs a malloc/free driven by garbage collection, for a gain measured at ~4 % of a
// batch-32 training step (copies ≈ a quarter of the matmul time, matmuls ≈ 15 % of the step).
import { setConvBackend } from '../kernels/conv';
import { setMatmulBackend } from '../kernels/matmul';
import { ParallelPool, type ParallelOptions } from './pool';
import { createPoolConv } from './poolConv';

export { ParallelPool, type ParallelOptions } from './pool';
export { wasmUnavailableReason } from './wasmModule';

let active: ParallelPool | null = null;

/** Installs a pool as the matmul and conv backend (replacing any previous one) and returns it. Workers start lazily. */
export function enableParallel(options: ParallelOptions = {}): ParallelPool {
  if (active) void active.shutdown();
  const pool = new ParallelPool(options);
  active = pool;
  setMatmulBackend(pool.matmul);
  setConvBackend(createPoolConv(pool));
  return pool;
}

/** Restores the reference kernels and stops the workers (the promise settles when they have exited). */
export function shutdownParallel(): Promise<void> {
  const pool = active;
  active = null;
  setMatmulBackend(null);
  setConvBackend(null);
  return pool ? pool.shutdown() : Promise.resolve();
}

export function activeParallelPool(): ParallelPool | null {
  return active;
}
