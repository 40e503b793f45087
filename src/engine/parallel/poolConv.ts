// Convolution inside the thread's WASM memory. The reference kernel (kernels/conv.ts) builds the
// column matrix in JavaScript and hands it to matmul, which copies it into WASM memory: for the
// MNIST CNN's second layer that is 5 MB written, copied in and, for the input gradient, 5 MB
// copied back out per pass. Here every step — im2col, the products, the layout copies, col2im
// (kernels/wasm/conv.as.ts) — runs in the memory. Tensors that live in the memory (parameters,
// and inside a step scope activations and gradients) are read and written in place; any other
// operand is copied in (and an output back out).
//
// A pass is one pool task whose blocks are groups of samples of the batch, in slices (kernels/conv.ts
// convPlan; parallel/convBlock.ts runs one): each thread builds a slice's columns and multiplies
// them on its own, so both cores work through the whole pass, not only through the products
// (a slice's product alone is too small to share: 3.8 MFLOP for the cnn preset's conv2).
// The weight gradient is summed per group and the groups added here in order, as the reference
// does, so the two stay bit-identical for every pool size.
import { addGroupSums, convPlan, type ConvGeometry, type ConvKernel, type ConvPlan } from '../kernels/conv';
import type { WasmRuntime } from '../kernels/wasm/runtime';
import { Op, type ConvTask } from './controlBlock';
import { convScratchFloats } from './convBlock';
import type { ParallelPool } from './pool';
import { convDetail, spanRecorder } from '../profile';

export function createPoolConv(pool: ParallelPool, runtime: WasmRuntime): ConvKernel {
  const k = runtime.kernels;
  const staging = pool.staging;
  const t = pool.convTask;

  return {
    forward(x, w, bias, g, o, y) {
      const rows = g.c * g.kH * g.kW;
      const p = g.oH * g.oW;
      const plan = convPlan(g);
      const stride = staging.bytesForRoom(convScratchFloats(rows, o, plan.slice * p));
      // Spans for `npm run bench -- --profile` (profile.ts); null, so untimed, unless the bench installed a recorder.
      const rec = spanRecorder();
      rec?.begin('copy');
      staging.begin(staging.bytesFor(x, x.length) + staging.bytesFor(w, w.length) + (bias ? staging.bytesFor(bias, o) : 0) + staging.bytesFor(y, y.length) + stride * pool.threads);
      t.x = staging.place(x, x.length, true);
      t.w = staging.place(w, w.length, true);
      t.bias = bias ? staging.place(bias, o, true) : 0;
      t.out = staging.place(y, y.length, false);
      t.scratch = staging.room((stride / 4) * pool.threads);
      rec?.end();
      fill(t, g, o, plan, stride);
      t.gx = 0;
      t.sums = 0;
      pool.runConv(Op.CONV_FORWARD, 2 * o * rows * g.n * p);
      rec?.begin('copy');
      staging.readBack(y, y.length, t.out);
      rec?.end();
    },

    backward(x, w, grad, g, o, gx, gw, gb) {
      if (!gx && !gw && !gb) return;
      const rows = g.c * g.kH * g.kW;
      const p = g.oH * g.oW;
      const plan = convPlan(g);
      const stride = staging.bytesForRoom(convScratchFloats(rows, o, plan.slice * p));
      const sumsFloats = gw ? plan.groups * o * rows : 0;
      const rec = spanRecorder();
      const at = rec ? convDetail(g.c, o, g.kH, g.kW, g.h, g.w, g.oH, g.oW) : undefined;
      rec?.begin('copy');
      staging.begin(
        staging.bytesFor(grad, grad.length) +
          (gb ? staging.bytesFor(gb, o) : 0) +
          (gw ? staging.bytesFor(x, x.length) + staging.bytesFor(gw, gw.length) + staging.bytesForRoom(sumsFloats) : 0) +
          (gx ? staging.bytesFor(w, w.length) + staging.bytesFor(gx, gx.length) : 0) +
          stride * pool.threads,
      );
      const gAt = staging.place(grad, grad.length, true);
      rec?.end();
      if (gb) {
        rec?.begin('copy');
        const gbAt = staging.place(gb, o, true);
        rec?.end();
        rec?.begin('conv.bias', at);
        k.sumChannels(gAt, g.n, o, p, gbAt);
        rec?.end();
        rec?.begin('copy');
        staging.readBack(gb, o, gbAt);
        rec?.end();
      }
      if (!gx && !gw) return;
      rec?.begin('copy');
      t.out = gAt;
      t.x = gw ? staging.place(x, x.length, true) : 0;
      const gwAt = gw ? staging.place(gw, gw.length, true) : 0;
      t.sums = gw ? staging.room(sumsFloats) : 0;
      t.w = gx ? staging.place(w, w.length, true) : 0;
      t.gx = gx ? staging.place(gx, gx.length, true) : 0;
      t.bias = 0;
      t.scratch = staging.room((stride / 4) * pool.threads);
      rec?.end();
      fill(t, g, o, plan, stride);
      pool.runConv(Op.CONV_BACKWARD, 2 * o * rows * g.n * p * ((gw ? 1 : 0) + (gx ? 1 : 0)));
      if (gw) {
        rec?.begin('conv.gemm.weight', at);
        addGroupSums(runtime.memory.float32(t.sums, sumsFloats), plan.groups, o * rows, runtime.memory.float32(gwAt, gw.length));
        rec?.end();
      }
      rec?.begin('copy');
      if (gw) staging.readBack(gw, gw.length, gwAt);
      if (gx) staging.readBack(gx, gx.length, t.gx);
      rec?.end();
    },
  };
}

/** The task's geometry and cut (the operands are placed by the caller). */
function fill(t: ConvTask, g: ConvGeometry, o: number, plan: ConvPlan, stride: number): void {
  t.o = o;
  t.slice = plan.slice;
  t.blocks = plan.groups;
  t.scratchStride = stride;
  const d = t.dims;
  d[0] = g.n;
  d[1] = g.c;
  d[2] = g.h;
  d[3] = g.w;
  d[4] = g.kH;
  d[5] = g.kW;
  d[6] = g.sH;
  d[7] = g.sW;
  d[8] = g.pH;
  d[9] = g.pW;
  d[10] = g.oH;
  d[11] = g.oW;
}
