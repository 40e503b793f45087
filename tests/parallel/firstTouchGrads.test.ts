// The first-touch gradient kernels (a gradient nothing was added to yet is written, not
// zero-filled and then added to): ReLU's and max pooling's. Each must leave exactly the bits
// that zeroing the buffer and running the accumulating kernel leave, whatever the buffer held
// (NaN here, so an element left unwritten shows), on WASM and in TypeScript alike.
import { afterAll, describe, expect, it } from 'vitest';
import { referenceFusedKernels as ref } from '../../src/engine/kernels/fused';
import { maxPool, type PoolGeometry } from '../../src/engine/kernels/pool';
import { createWasmFusedKernels } from '../../src/engine/kernels/wasm/wasmFused';
import { ParallelPool } from '../../src/engine/parallel';
import { threadRuntime } from '../../src/engine/parallel/runtime';
import { bitMismatches } from './matmulCases';

const runtime = threadRuntime();
if (!runtime) throw new Error('these tests need the WASM kernels (npm run build:wasm)');
const pool = new ParallelPool({ threads: 1 });
afterAll(() => pool.shutdown());
const wasm = createWasmFusedKernels(runtime, pool);

let seed = 5;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return (seed / 2 ** 32) * 2 - 1;
}
function resident(values: ArrayLike<number>): Float32Array {
  const a = runtime!.memory.persistentFloat32(values.length);
  a.set(values);
  return a;
}
const nans = (length: number): Float32Array => resident(new Float32Array(length).fill(NaN));

describe('reluGradWrite: dx = g where y > 0, the bits reluGrad leaves in a zeroed dx', () => {
  for (const n of [0, 3, 4, 37, 1000]) {
    it(`${n} floats, with −0, ±∞ and NaN in the gradient and ±0 in the output`, () => {
      const special = [-0, 0, Infinity, -Infinity, NaN];
      const g = Float32Array.from({ length: n }, (_, i) => (i % 7 === 3 ? special[i % special.length] : random()));
      const y = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : i % 5 === 1 ? -0 : random()));
      const want = new Float32Array(n);
      ref.reluGrad(g, y, want);
      const refWrite = new Float32Array(n).fill(NaN);
      ref.reluGradWrite(g, y, refWrite);
      expect(bitMismatches(refWrite, want), 'TypeScript').toBe(0);
      const ours = nans(n);
      wasm.reluGradWrite(resident(g), resident(y), ours);
      expect(bitMismatches(ours, want), 'WASM').toBe(0);
      if (n > 0) expect(ours.some((v) => Object.is(v, -0))).toBe(false);
    });
  }
});

describe('maxPoolGradWrite: the winners added into planes zeroed as it goes, the bits of maxPoolGrad into a zeroed dx', () => {
  const geometry = (planes: number, h: number, w: number, k: [number, number], s: [number, number], p: [number, number]): PoolGeometry => ({
    planes,
    h,
    w,
    kH: k[0],
    kW: k[1],
    sH: s[0],
    sW: s[1],
    pH: p[0],
    pW: p[1],
    oH: Math.floor((h + 2 * p[0] - k[0]) / s[0]) + 1,
    oW: Math.floor((w + 2 * p[1] - k[1]) / s[1]) + 1,
  });
  const cases: [string, PoolGeometry][] = [
    ["the cnn's first pool: 2×2, stride 2", geometry(12, 28, 28, [2, 2], [2, 2], [0, 0])],
    ["the cnn's second pool: 3×3, stride 3 (a row and a column left over)", geometry(6, 14, 14, [3, 3], [3, 3], [0, 0])],
    ['overlapping windows (one pixel wins several)', geometry(4, 7, 9, [3, 2], [1, 2], [1, 1])],
  ];
  for (const [name, g] of cases) {
    it(name, () => {
      const x = Float32Array.from({ length: g.planes * g.h * g.w }, () => Math.round(random() * 4) / 4); // ties
      const count = g.planes * g.oH * g.oW;
      const out = new Float32Array(count);
      const argmax = new Int32Array(count);
      maxPool(x, g, out, argmax);
      const grad = Float32Array.from({ length: count }, (_, i) => (i % 11 === 0 ? -0 : random()));
      const want = new Float32Array(x.length);
      ref.maxPoolGrad(grad, argmax, want);
      const refWrite = new Float32Array(x.length).fill(NaN);
      ref.maxPoolGradWrite(grad, argmax, g.planes, g.h * g.w, refWrite);
      expect(bitMismatches(refWrite, want), 'TypeScript').toBe(0);
      const ints = runtime!.memory.persistentFloat32(count);
      const argmaxResident = new Int32Array(ints.buffer, ints.byteOffset, count);
      argmaxResident.set(argmax);
      const ours = nans(x.length);
      wasm.maxPoolGradWrite(resident(grad), argmaxResident, g.planes, g.h * g.w, ours);
      expect(bitMismatches(ours, want), 'WASM').toBe(0);
      expect(
        want.some((v) => v !== 0),
        'some winners got a gradient',
      ).toBe(true);
    });
  }
});
