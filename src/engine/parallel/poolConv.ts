// Convolution inside the pool's WASM memory. The reference kernel (kernels/conv.ts) builds the
// column matrix in JavaScript and hands it to matmul, which copies it into WASM memory: for the
// MNIST CNN's second layer that is 5 MB written, copied in and, for the input gradient, 5 MB
// copied back out per pass. Here only the tensors cross (input, weight, output gradient: tens
// of kB to a few hundred) and every step in between — im2col, the products, the layout copies,
// col2im (kernels/wasm/conv.as.ts) — runs in the shared memory, the products on the pool's threads.
import type { ConvGeometry, ConvKernel } from '../kernels/conv';
import { instantiate } from '../kernels/wasm/wasmApi';
import type { ParallelPool } from './pool';

type Geometry = [n: number, c: number, h: number, w: number, kH: number, kW: number, sH: number, sW: number, pH: number, pW: number, oH: number, oW: number];

interface ConvExports {
  im2col(x: number, ...rest: [...Geometry, number]): void;
  col2im(cols: number, ...rest: [...Geometry, number]): void;
  channelsToBatch(yT: number, bias: number, n: number, o: number, p: number, y: number): void;
  batchToChannels(g: number, n: number, o: number, p: number, gT: number): void;
  sumChannels(g: number, n: number, o: number, p: number, db: number): void;
}

/** The pool's conv kernel, or null when the pool has no WASM kernel (then the reference one is used). */
export function createPoolConv(pool: ParallelPool): ConvKernel | null {
  const wasm = pool.wasm;
  if (!wasm) return null;
  const { staging } = wasm;
  // This thread's own instance of the module, on the same memory as the pool's.
  const exports = instantiate(wasm.module, staging.memory);
  for (const name of ['im2col', 'col2im', 'channelsToBatch', 'batchToChannels', 'sumChannels']) {
    if (typeof exports[name] !== 'function') throw new Error(`WASM module lacks the ${name} export; rebuild it with \`npm run build:wasm\``);
  }
  const k = exports as unknown as ConvExports;
  const dims = (g: ConvGeometry): Geometry => [g.n, g.c, g.h, g.w, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, g.oH, g.oW];

  return {
    forward(x, w, bias, g, o, y) {
      const rows = g.c * g.kH * g.kW;
      const p = g.oH * g.oW;
      const width = g.n * p;
      const [xAt, wAt, bAt, colsAt, yTAt, yAt] = staging.reserve([x.length, w.length, o, rows * width, o * width, y.length]);
      staging.floats(xAt, x.length).set(x);
      staging.floats(wAt, w.length).set(w);
      if (bias) staging.floats(bAt, o).set(bias);
      k.im2col(xAt, ...dims(g), colsAt);
      pool.gemmInMemory(wAt, colsAt, yTAt, o, rows, width, false, false, false);
      k.channelsToBatch(yTAt, bias ? bAt : 0, g.n, o, p, yAt);
      y.set(staging.floats(yAt, y.length));
    },

    backward(x, w, grad, g, o, gx, gw, gb) {
      if (!gx && !gw && !gb) return;
      const rows = g.c * g.kH * g.kW;
      const p = g.oH * g.oW;
      const width = g.n * p;
      // cols (for dW) and dcols (for dx) take turns in one region.
      const [gAt, gTAt, colsAt, xAt, wAt, gwAt, gxAt, gbAt] = staging.reserve([
        grad.length, o * width, rows * width, gw ? x.length : 0, gx ? w.length : 0, gw ? gw.length : 0, gx ? gx.length : 0, o,
      ]);
      staging.floats(gAt, grad.length).set(grad);
      if (gb) {
        staging.floats(gbAt, o).set(gb);
        k.sumChannels(gAt, g.n, o, p, gbAt);
        gb.set(staging.floats(gbAt, o));
      }
      if (!gx && !gw) return;
      k.batchToChannels(gAt, g.n, o, p, gTAt);
      if (gw) {
        staging.floats(xAt, x.length).set(x);
        staging.floats(gwAt, gw.length).set(gw);
        k.im2col(xAt, ...dims(g), colsAt);
        pool.gemmInMemory(gTAt, colsAt, gwAt, o, width, rows, false, true, true);
        gw.set(staging.floats(gwAt, gw.length));
      }
      if (gx) {
        staging.floats(wAt, w.length).set(w);
        staging.floats(gxAt, gx.length).set(gx);
        pool.gemmInMemory(wAt, gTAt, colsAt, rows, o, width, true, false, false);
        k.col2im(colsAt, ...dims(g), gxAt);
        gx.set(staging.floats(gxAt, gx.length));
      }
    },
  };
}
