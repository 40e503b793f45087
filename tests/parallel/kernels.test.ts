import { describe, expect, test } from 'vitest';
import { matmulBlocked } from '../../src/engine/kernels/matmulBlocked';
import { createWasmMatmul } from './wasmMatmul';
import { loadWasmModule, wasmUnavailableReason } from '../../src/engine/parallel/wasmModule';
import { bitMismatches, cloneCase, errorVsReference, label, makeCase, SHAPES, TOLERANCE, VARIANTS } from './matmulCases';

const cases = SHAPES.flatMap(([m, k, n]) => VARIANTS.flatMap(({ transA, transB }) => [false, true].map((acc) => makeCase(m, k, n, transA, transB, acc))));

describe('matmulBlocked (TypeScript kernel)', () => {
  test.each(cases.map((c) => [label(c), c] as const))('%s equals the reference', (_, args) => {
    expect(errorVsReference(matmulBlocked, args)).toBeLessThan(TOLERANCE);
  });

  test('any split of C into row or column bands gives bit-identical results', () => {
    const args = makeCase(37, 530, 45, true, false, true);
    const whole = cloneCase(args);
    matmulBlocked(whole);
    const byRows = cloneCase(args);
    for (const [i0, i1] of [
      [0, 5],
      [5, 16],
      [16, 37],
    ])
      matmulBlocked(byRows, { i0, i1, j0: 0, j1: 45 });
    const byCols = cloneCase(args);
    for (const [j0, j1] of [
      [0, 3],
      [3, 40],
      [40, 45],
    ])
      matmulBlocked(byCols, { i0: 0, i1: 37, j0, j1 });
    expect(bitMismatches(byRows.c, whole.c)).toBe(0);
    expect(bitMismatches(byCols.c, whole.c)).toBe(0);
  });
});

describe('WASM SIMD kernel', () => {
  const module = loadWasmModule();

  test('is built from source by npm install (scripts/build-wasm.mjs)', () => {
    expect(wasmUnavailableReason()).toBe('');
    expect(module).not.toBeNull();
  });

  test.each(cases.map((c) => [label(c), c] as const))('%s equals the reference', (_, args) => {
    if (!module) throw new Error(wasmUnavailableReason());
    expect(errorVsReference(createWasmMatmul(module), args)).toBeLessThan(TOLERANCE);
  });

  // B not transposed and at most KC (256) rows deep is read in place, its full 8-wide panels
  // straight from memory and only a narrower last panel packed; stored transposed, the same
  // values are packed into the same panels. The micro-kernel then does the same sums, so the
  // two must agree bit for bit, whatever the edge panels (n mod 8) and depth, and past KC too.
  test('B read in place equals the same B packed from its transpose, bit for bit', () => {
    if (!module) throw new Error(wasmUnavailableReason());
    const kernel = createWasmMatmul(module);
    for (const [m, k, n] of [
      [6, 25, 27],
      [16, 150, 3200],
      [128, 256, 784],
      [5, 257, 19],
      [3, 1, 8],
      [4, 7, 9],
      [9, 40, 5],
    ] as const) {
      for (const accumulate of [false, true]) {
        const direct = makeCase(m, k, n, false, false, accumulate, 7);
        const bT = new Float32Array(k * n);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[j * k + p] = direct.b[p * n + j];
        const packed = { ...cloneCase(direct), b: bT, transB: true };
        kernel(direct);
        kernel(packed);
        expect(bitMismatches(direct.c, packed.c), `${m}×${k}×${n}${accumulate ? ' +=' : ''}`).toBe(0);
      }
    }
  });

  test('reuses its memory across calls of different sizes, and grows it', () => {
    if (!module) throw new Error(wasmUnavailableReason());
    const kernel = createWasmMatmul(module);
    for (const [m, k, n] of [
      [300, 400, 500],
      [2, 3, 4],
      [600, 200, 700],
    ] as const) {
      expect(errorVsReference(kernel, makeCase(m, k, n, false, true, false))).toBeLessThan(TOLERANCE);
    }
  });
});
