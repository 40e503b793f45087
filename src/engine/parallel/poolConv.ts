// Convolution inside the thread's WASM memory. The reference kernel (kernels/conv.ts) builds the
// column matrix in JavaScript and hands it to matmul, which copies it into WASM memory: for the
// MNIST CNN's second layer that is 5 MB written, copied in and, for the input gradient, 5 MB
// copied back out per pass. Here every step — im2col, the products, the layout copies, col2im
// (kernels/wasm/conv.as.ts) — runs in the memory, the products on the pool's threads. Tensors
// that live in the memory (parameters, and inside a step scope activations and gradients) are
// read and written in place; any other operand is copied in (and an output back out). The
// column matrix is built a slice of the batch at a time (kernels/conv.ts forEachSlice), as the
// reference kernel does, so the two stay bit-identical.
import { convSliceSamples, forEachSlice, type ConvGeometry, type ConvKernel } from '../kernels/conv';
import type { ConvDims } from '../kernels/wasm/kernelExports';
import type { WasmRuntime } from '../kernels/wasm/runtime';
import type { ParallelPool } from './pool';
import { convDetail, spanRecorder } from '../profile';

export function createPoolConv(pool: ParallelPool, runtime: WasmRuntime): ConvKernel {
  const k = runtime.kernels;
  const staging = pool.staging;
  const dims = (g: ConvGeometry): ConvDims => [g.n, g.c, g.h, g.w, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, g.oH, g.oW];

  return {
    forward(x, w, bias, g, o, y) {
      const rows = g.c * g.kH * g.kW;
      const p = g.oH * g.oW;
      const inBytes = g.c * g.h * g.w * 4;
      const outBytes = o * p * 4;
      const slice = convSliceSamples(g) * p;
      // Spans for `npm run bench -- --profile` (profile.ts); null, so untimed, unless the bench installed a recorder.
      const rec = spanRecorder();
      const at = rec ? convDetail(g.c, o, g.kH, g.kW, g.h, g.w, g.oH, g.oW) : undefined;
      rec?.begin('copy');
      staging.begin(
        staging.bytesFor(x, x.length) +
          staging.bytesFor(w, w.length) +
          (bias ? staging.bytesFor(bias, o) : 0) +
          staging.bytesFor(y, y.length) +
          staging.bytesForRoom(rows * slice) +
          staging.bytesForRoom(o * slice),
      );
      const xAt = staging.place(x, x.length, true);
      const wAt = staging.place(w, w.length, true);
      const bAt = bias ? staging.place(bias, o, true) : 0;
      const yAt = staging.place(y, y.length, false);
      const colsAt = staging.room(rows * slice);
      const yTAt = staging.room(o * slice);
      rec?.end();
      forEachSlice(g, (start, count, s) => {
        const ysAt = yAt + start * outBytes;
        rec?.begin('conv.im2col.forward', at);
        k.im2col(xAt + start * inBytes, ...dims(s), colsAt);
        rec?.end();
        // One sample: [O, P] is already NCHW, so the product goes straight into y (as the reference does).
        const yTs = count === 1 ? ysAt : yTAt;
        rec?.begin('conv.gemm.forward', at);
        pool.gemmInMemory(wAt, colsAt, yTs, o, rows, count * p, false, false, false);
        rec?.end();
        rec?.begin('conv.layout.forward', at);
        k.channelsToBatch(yTs, bAt, count, o, p, ysAt);
        rec?.end();
      });
      rec?.begin('copy');
      staging.readBack(y, y.length, yAt);
      rec?.end();
    },

    backward(x, w, grad, g, o, gx, gw, gb) {
      if (!gx && !gw && !gb) return;
      const rows = g.c * g.kH * g.kW;
      const p = g.oH * g.oW;
      const inBytes = g.c * g.h * g.w * 4;
      const outBytes = o * p * 4;
      const slice = convSliceSamples(g) * p;
      const rec = spanRecorder();
      const at = rec ? convDetail(g.c, o, g.kH, g.kW, g.h, g.w, g.oH, g.oW) : undefined;
      rec?.begin('copy');
      staging.begin(
        staging.bytesFor(grad, grad.length) +
          (gb ? staging.bytesFor(gb, o) : 0) +
          (gw ? staging.bytesFor(x, x.length) + staging.bytesFor(gw, gw.length) : 0) +
          (gx ? staging.bytesFor(w, w.length) + staging.bytesFor(gx, gx.length) : 0) +
          staging.bytesForRoom(o * slice) +
          staging.bytesForRoom(rows * slice),
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
      const gTAt = staging.room(o * slice);
      // cols (for dW) and dcols (for dx) take turns in one region.
      const colsAt = staging.room(rows * slice);
      const xAt = gw ? staging.place(x, x.length, true) : 0;
      const gwAt = gw ? staging.place(gw, gw.length, true) : 0;
      const wAt = gx ? staging.place(w, w.length, true) : 0;
      const gxAt = gx ? staging.place(gx, gx.length, true) : 0;
      rec?.end();
      forEachSlice(g, (start, count, s) => {
        const width = count * p;
        const gsAt = gAt + start * outBytes;
        // One sample: its gradient is already in the [O, P] layout.
        const gT = count === 1 ? gsAt : gTAt;
        if (count > 1) {
          rec?.begin('conv.layout.backward', at);
          k.batchToChannels(gsAt, count, o, p, gTAt);
          rec?.end();
        }
        if (gw) {
          rec?.begin('conv.im2col.backward', at);
          k.im2col(xAt + start * inBytes, ...dims(s), colsAt);
          rec?.end();
          rec?.begin('conv.gemm.weight', at);
          pool.gemmInMemory(gT, colsAt, gwAt, o, width, rows, false, true, true);
          rec?.end();
        }
        if (gx) {
          rec?.begin('conv.gemm.input', at);
          pool.gemmInMemory(wAt, gT, colsAt, rows, o, width, true, false, false);
          rec?.end();
          rec?.begin('conv.col2im', at);
          k.col2im(colsAt, ...dims(s), gxAt + start * inBytes);
          rec?.end();
        }
      });
      rec?.begin('copy');
      if (gw) staging.readBack(gw, gw.length, gwAt);
      if (gx) staging.readBack(gx, gx.length, gxAt);
      rec?.end();
    },
  };
}
