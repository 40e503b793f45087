// The WASM SIMD matmul behind the plain `MatmulKernel` interface, on the calling thread, in
// a memory of its own: the kernel alone, for kernels.test.ts (the engine runs it through the
// pool, parallel/pool.ts). Operands that are not views of that memory are copied in, and C back out.
import type { MatmulArgs, MatmulKernel } from '../../src/engine/kernels/matmul';
import { EngineMemory, Staging } from '../../src/engine/kernels/wasm/engineMemory';
import { instantiateKernels } from '../../src/engine/kernels/wasm/kernelExports';
import type { WasmModule } from '../../src/engine/kernels/wasm/wasmApi';

export function createWasmMatmul(module: WasmModule, memory = new EngineMemory()): MatmulKernel {
  const kernel = instantiateKernels(module, memory.memory);
  const scratch = memory.alloc(kernel.scratchBytes());
  const staging = new Staging(memory);
  return (args: MatmulArgs): void => {
    const { a, b, c, m, k, n } = args;
    staging.begin(staging.bytesFor(a, m * k) + staging.bytesFor(b, k * n) + staging.bytesFor(c, m * n));
    const pa = staging.place(a, m * k, true);
    const pb = staging.place(b, k * n, true);
    const pc = staging.place(c, m * n, !!args.accumulate);
    kernel.gemm(pa, pb, pc, m, k, n, +args.transA, +args.transB, +!!args.accumulate, 0, m, 0, n, scratch, 0, 0);
    staging.readBack(c, m * n, pc);
  };
}
