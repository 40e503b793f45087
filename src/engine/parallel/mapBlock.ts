// One block of a ReLU or max-pooling task (controlBlock.ts MapTask), on whichever thread
// claimed it: ReLU's elements [block·band, +band), or max pooling's planes. Every element and
// every plane is computed on its own, so any split gives the bits of one call over the whole.
import type { KernelExports } from '../kernels/wasm/kernelExports';
import { Op, type MapTask } from './controlBlock';

/** Whether `op` is a ReLU or pooling task. */
export function isMapOp(op: number): boolean {
  return op >= Op.RELU && op <= Op.MAX_POOL_GRAD_WRITE;
}

export function runMapBlock(kernels: KernelExports, op: number, t: MapTask, block: number): void {
  const start = block * t.band;
  const count = Math.min(t.band, t.n - start);
  const at = start * 4;
  switch (op) {
    case Op.RELU:
      return kernels.relu(t.a + at, t.b + at, count);
    case Op.RELU_GRAD:
      return kernels.reluGrad(t.a + at, t.b + at, t.c + at, count);
    case Op.RELU_GRAD_WRITE:
      return kernels.reluGradWrite(t.a + at, t.b + at, t.c + at, count);
    case Op.MAX_POOL: {
      const d = t.dims; // MapSlot.DIMS order; indexed, not destructured (no iterator per block)
      return kernels.maxPool(t.a, start, count, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], t.b, t.c);
    }
    case Op.MAX_POOL_GRAD_WRITE:
      return kernels.maxPoolGradWrite(t.a, t.b, start, count, t.dims[0], t.dims[1], t.c);
    default:
      throw new Error(`pool: ${op} is not a ReLU or pooling task`);
  }
}
