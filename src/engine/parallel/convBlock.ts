// One block of a convolution task, on whichever thread claimed it: a group of consecutive
// samples of the batch, in slices (kernels/conv.ts convPlan), each slice done start to finish
// on this thread — im2col into this thread's own column buffer, the product with this thread's gemm
// scratch, the layout copy — so the threads never wait on each other inside a pass. The
// forward pass and the input gradient write disjoint samples; the weight gradient, a sum over
// the batch, goes into the group's own sum (the caller adds the groups in order afterwards),
// so the result does not depend on which thread ran which group.
//
// The same steps, in the same order, as the reference kernel (kernels/conv.ts convReference),
// which keeps the two bit-identical.
import { evenCut, groupSliceCount } from '../kernels/conv';
import type { KernelExports } from '../kernels/wasm/kernelExports';
import { convDetail, spanRecorder } from '../profile';
import { Op, type ConvTask } from './controlBlock';

/** Floats of temporaries one thread needs for a task: a slice's columns and its [O, slice·P] layout. */
export function convScratchFloats(rows: number, o: number, sliceWidth: number): number {
  return (rows + o) * sliceWidth;
}

/** Samples [first, end) of group `block`: as even as whole samples allow (kernels/conv.ts evenCut). */
function groupFirst(t: ConvTask, block: number): number {
  return evenCut(0, t.dims[0], t.blocks, block);
}

/** How many samples group `block` holds. */
export function convGroupSamples(t: ConvTask, block: number): number {
  return groupFirst(t, block + 1) - groupFirst(t, block);
}

export function runConvBlock(kernels: KernelExports, gemmScratch: number, op: number, t: ConvTask, block: number, thread: number): void {
  const d = t.dims;
  const [, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW] = d;
  const o = t.o;
  const rows = c * kH * kW;
  const p = oH * oW;
  const inBytes = c * h * w * 4;
  const outBytes = o * p * 4;
  const cols = t.scratch + thread * t.scratchStride;
  const layout = cols + rows * t.slice * p * 4;
  const first = groupFirst(t, block);
  const inGroup = groupFirst(t, block + 1) - first;
  const slices = groupSliceCount(inGroup, t.slice);
  // Spans for `npm run bench -- --profile` (profile.ts): only on a thread with a recorder installed.
  const rec = spanRecorder();
  const at = rec ? convDetail(c, o, kH, kW, h, w, oH, oW) : undefined;
  for (let slice = 0; slice < slices; slice++) {
    const start = evenCut(first, inGroup, slices, slice);
    const count = evenCut(first, inGroup, slices, slice + 1) - start;
    const width = count * p;
    const x = t.x + start * inBytes;
    const out = t.out + start * outBytes;
    if (op === Op.CONV_FORWARD) {
      rec?.begin('conv.im2col.forward', at);
      kernels.im2col(x, count, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW, cols);
      rec?.end();
      // One sample: [O, P] is already NCHW, so the product goes straight into y.
      const yT = count === 1 ? out : layout;
      rec?.begin('conv.gemm.forward', at);
      kernels.gemm(t.w, cols, yT, o, rows, width, 0, 0, 0, 0, o, 0, width, gemmScratch, 0, 0);
      rec?.end();
      rec?.begin('conv.layout.forward', at);
      kernels.channelsToBatch(yT, t.bias, count, o, p, out);
      rec?.end();
      continue;
    }
    // One sample: its gradient is already in the [O, P] layout.
    let gT = out;
    if (count > 1) {
      gT = layout;
      rec?.begin('conv.layout.backward', at);
      kernels.batchToChannels(out, count, o, p, gT);
      rec?.end();
    }
    if (t.sums) {
      rec?.begin('conv.im2col.backward', at);
      kernels.im2col(x, count, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW, cols);
      rec?.end();
      // The group's sum starts from zero at its first slice.
      rec?.begin('conv.gemm.weight', at);
      kernels.dotRows(gT, cols, t.sums + block * o * rows * 4, o, width, rows, +(slice > 0));
      rec?.end();
    }
    if (t.gx) {
      rec?.begin('conv.gemm.input', at);
      kernels.gemm(t.w, gT, cols, rows, o, width, 1, 0, 0, 0, rows, 0, width, gemmScratch, 0, 0);
      rec?.end();
      rec?.begin('conv.col2im', at);
      kernels.col2im(cols, count, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW, t.gx + start * inBytes);
      rec?.end();
    }
  }
}
