// The WASM SIMD kernel behind the plain `MatmulKernel` interface, on the calling thread.
// The operands are copied into the kernel's memory and C is copied back: WASM cannot
// address a JS-owned buffer. For the training shapes that copy is a few percent of the
// matmul (bench/matmulBench.ts measures it); the pool stages once and shares it between threads.
import type { MatmulArgs, MatmulKernel } from '../matmul';
import { createGemmMemory, instantiateGemm, StagingArea } from './gemmMemory';
import type { WasmModule } from './wasmApi';

export function createWasmMatmul(module: WasmModule): MatmulKernel {
  const memory = createGemmMemory();
  const kernel = instantiateGemm(module, memory);
  const staging = new StagingArea(memory, kernel.scratchBytes(), 1);
  return (args: MatmulArgs): void => {
    const { m, k, n } = args;
    const at = staging.stage(args);
    kernel.gemm(at.a, at.b, at.c, m, k, n, +args.transA, +args.transB, +!!args.accumulate, 0, m, 0, n, staging.scratch(0));
    staging.readBack(args, at);
  };
}
