// Convolution's data movement on WASM (kernels/wasm/conv.as.ts) against its TypeScript twin
// (kernels/conv.ts), kernel by kernel, on operands in the WASM memory: im2col and col2im move
// floats (and add them in the same order), so they must agree bit for bit; so must the bias
// gradient, whose float64 sums both take in the same lane order, and which is also held to
// float64 truth. The geometries cover both im2col paths (a whole shifted plane when stride 1
// keeps the width; row by row otherwise) and rows shorter, as long as, and longer than a v128.
import { describe, expect, it } from 'vitest';
import { col2imAdd, im2col, sumChannelsInto, sumRow, type ConvGeometry } from '../../src/engine/kernels/conv';
import type { ConvDims } from '../../src/engine/kernels/wasm/kernelExports';
import { bitMismatches } from './matmulCases';
import { residentFloats, wasmRuntime } from './residentOperands';

const runtime = wasmRuntime();
const wasm = runtime.kernels;
/** `length` floats in the WASM memory, random unless `fill` is given. */
const resident = residentFloats(runtime, 11);

function geometry(n: number, c: number, h: number, w: number, k: [number, number], s: [number, number], p: [number, number]): ConvGeometry {
  const oH = Math.floor((h + 2 * p[0] - k[0]) / s[0]) + 1;
  const oW = Math.floor((w + 2 * p[1] - k[1]) / s[1]) + 1;
  return { n, c, h, w, kH: k[0], kW: k[1], sH: s[0], sW: s[1], pH: p[0], pW: p[1], oH, oW };
}
const dims = (g: ConvGeometry): ConvDims => [g.n, g.c, g.h, g.w, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, g.oH, g.oW];

const cases: [string, ConvGeometry][] = [
  ["LeNet's conv2: no padding, 10-float rows from 14-float ones", geometry(8, 6, 14, 14, [5, 5], [1, 1], [0, 0])],
  ["the cnn's conv2: same padding (a shifted plane)", geometry(3, 8, 14, 14, [5, 5], [1, 1], [2, 2])],
  ["the cnn's conv1: same padding, 28-float rows", geometry(2, 1, 28, 28, [5, 5], [1, 1], [2, 2])],
  ['same width, 5-float rows, kernel 3×5', geometry(2, 3, 6, 5, [3, 5], [1, 1], [1, 2])],
  ['same width, 4-float rows, taps that read only padding rows', geometry(2, 2, 3, 4, [7, 3], [1, 1], [3, 1])],
  ['same width, 9-float rows, kernel 7 wide (three padding columns)', geometry(2, 2, 5, 9, [1, 7], [1, 1], [0, 3])],
  ['stride 1 across, 2 down, padding 2: rows with padding columns on both sides', geometry(2, 3, 9, 11, [3, 5], [2, 1], [1, 2])],
  ['rows of 1 to 3 floats (narrow input, wide kernel)', geometry(3, 2, 5, 3, [2, 3], [1, 1], [0, 1])],
  ['rows of 5 and 6 floats, padding wider than some rows reach', geometry(2, 2, 6, 4, [3, 4], [1, 1], [1, 2])],
  ['stride [2, 3], padding [1, 2], kernel 3×4', geometry(2, 3, 9, 11, [3, 4], [2, 3], [1, 2])],
  ['kernel as wide as the padded input, stride 2', geometry(4, 2, 3, 3, [5, 5], [2, 2], [1, 1])],
  ['1×1 kernel', geometry(2, 5, 5, 7, [1, 1], [1, 1], [0, 0])],
  ['one sample, 17-float rows', geometry(1, 2, 4, 19, [2, 3], [1, 1], [0, 0])],
  // Whole rows of 5 to 12 floats with no padding columns move as two or three v128s a row.
  ['rows of 6 floats, no padding (two moves a row)', geometry(3, 2, 7, 9, [2, 4], [1, 1], [0, 0])],
  ['rows of 12 floats, padding rows only (three moves a row, zero rows above and below)', geometry(2, 3, 8, 14, [3, 3], [1, 1], [1, 0])],
  ['rows of 8 floats, stride 2 down', geometry(2, 2, 9, 10, [3, 3], [2, 1], [0, 0])],
];

describe('im2col and col2im on WASM equal their TypeScript twins bit for bit', () => {
  for (const [name, g] of cases) {
    it(name, () => {
      const rows = g.c * g.kH * g.kW;
      const width = g.n * g.oH * g.oW;
      const x = resident(g.n * g.c * g.h * g.w);
      // NaN everywhere first: every element of cols must be written, padding with zeros.
      const cols = resident(rows * width, NaN);
      wasm.im2col(x.byteOffset, ...dims(g), cols.byteOffset);
      const want = new Float32Array(rows * width).fill(NaN);
      im2col(Float32Array.from(x), g, want);
      expect(want.some(Number.isNaN), 'the reference wrote every element').toBe(false);
      expect(bitMismatches(cols, want), 'im2col').toBe(0);
      expect(
        cols.some((v) => v === 0),
        'some columns read the padding',
      ).toBe(g.pH + g.pW > 0);

      // col2im adds into what is there, in the reference's order.
      const dcols = resident(rows * width);
      const dx = resident(x.length);
      const dxWant = Float32Array.from(dx);
      wasm.col2im(dcols.byteOffset, ...dims(g), dx.byteOffset);
      col2imAdd(Float32Array.from(dcols), g, dxWant);
      expect(bitMismatches(dx, dxWant), 'col2im').toBe(0);
    });
  }
});

describe('the bias gradient: Σ over samples and positions, summed in float64', () => {
  const shapes: [number, number, number][] = [
    [32, 8, 784], // the cnn's conv1
    [32, 16, 100], // LeNet's conv2: 12 blocks of 8 and a tail of 4
    [3, 5, 1],
    [2, 3, 7],
    [2, 3, 9],
    [4, 2, 17],
  ];
  for (const [n, o, p] of shapes) {
    it(`[${n}, ${o}, ${p}]: WASM equals TypeScript bit for bit, within float32 rounding of float64 truth, and slices give the whole's bits`, () => {
      // Values of mixed sign and magnitude, so the summation order shows in the bits.
      const g = resident(n * o * p);
      for (let i = 0; i < g.length; i++) g[i] *= 2 ** ((i % 13) - 6);
      const db0 = resident(o);
      const db = Float32Array.from(db0);
      const ours = resident(o);
      ours.set(db0);
      wasm.sumChannels(g.byteOffset, n, o, p, ours.byteOffset);
      sumChannelsInto(Float32Array.from(g), n, o, p, db);
      expect(bitMismatches(ours, db), 'WASM against TypeScript').toBe(0);

      for (let oi = 0; oi < o; oi++) {
        let truth = db0[oi];
        let magnitude = Math.abs(db0[oi]);
        for (let ni = 0; ni < n; ni++) {
          for (let i = 0; i < p; i++) {
            truth += g[(ni * o + oi) * p + i];
            magnitude += Math.abs(g[(ni * o + oi) * p + i]);
          }
        }
        // One float32 rounding per sample (each at most half an ulp of a partial sum bounded by
        // the magnitude); the float64 sums add nothing visible at this scale.
        expect(Math.abs(db[oi] - truth), `db[${oi}]`).toBeLessThanOrEqual(n * 2 ** -24 * magnitude);
      }

      // A batch summed in slices, in order (as a pool block per slice would), gives the same bits.
      const sliced = Float32Array.from(db0);
      const half = Math.ceil(n / 2);
      sumChannelsInto(g.subarray(0, half * o * p), half, o, p, sliced);
      sumChannelsInto(g.subarray(half * o * p), n - half, o, p, sliced);
      expect(bitMismatches(sliced, db), 'in slices').toBe(0);
    });
  }

  // ±2⁴⁰ at the two ends of each row: how much of the small values in between survives depends
  // on which partial sums meet the large ones first, so only the same order gives the same bits.
  const cancelling = (length: number, p: number): Float32Array => {
    const g = resident(length);
    for (let row = 0; row + p <= length && p >= 2; row += p) {
      g[row] = 2 ** 40;
      g[row + p - 1] = -(2 ** 40);
    }
    return g;
  };

  for (const [n, o, p] of shapes) {
    it(`[${n}, ${o}, ${p}] with large values cancelling: WASM equals TypeScript bit for bit`, () => {
      const g = cancelling(n * o * p, p);
      const ours = resident(o, 0);
      const want = new Float32Array(o);
      wasm.sumChannels(g.byteOffset, n, o, p, ours.byteOffset);
      sumChannelsInto(Float32Array.from(g), n, o, p, want);
      expect(bitMismatches(ours, want)).toBe(0);
    });
  }

  it('every row length up to 24 (the blocks of 8 and each tail), large values cancelling: WASM equals sumRow bit for bit', () => {
    for (let p = 0; p <= 24; p++) {
      const g = cancelling(p, p);
      const db = resident(1, 0.5);
      wasm.sumChannels(g.byteOffset, 1, 1, p, db.byteOffset);
      expect(db[0], `p = ${p}`).toBe(Math.fround(0.5 + sumRow(g, 0, p)));
    }
  });
});
