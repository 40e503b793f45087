import { afterEach, describe, expect, test } from 'vitest';
import { ParallelPool } from '../../src/engine/parallel';
import { blockRange, planSplit } from '../../src/engine/parallel/splitWork';
import { findWasmFile } from '../../src/engine/parallel/wasmModule';

const saved = { threads: process.env.DIGITRAIN_THREADS, wasm: process.env.DIGITRAIN_WASM };
afterEach(() => {
  for (const [key, value] of [
    ['DIGITRAIN_THREADS', saved.threads],
    ['DIGITRAIN_WASM', saved.wasm],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('planSplit', () => {
  test('cuts the longer side of C into aligned bands that cover it exactly', () => {
    for (const [m, k, n, threads] of [
      [32, 784, 128, 2],
      [128, 32, 784, 3],
      [1024, 1024, 1024, 2],
      [1, 5, 3, 4],
      [257, 129, 3, 3],
    ]) {
      const split = planSplit(m, n, threads);
      expect(split.splitRows).toBe(m >= n);
      expect(split.band % (split.splitRows ? 4 : 8)).toBe(0);
      const task = { a: 0, b: 0, c: 0, m, k, n, transA: false, transB: false, accumulate: false, bias: 0, act: 0, ...split };
      let covered = 0;
      for (let block = 0; block < split.blocks; block++) {
        const r = blockRange(task, block);
        covered += split.splitRows ? r.i1 - r.i0 : r.j1 - r.j0;
        expect(r.i1 - r.i0).toBeGreaterThan(0);
        expect(r.j1 - r.j0).toBeGreaterThan(0);
      }
      expect(covered).toBe(split.splitRows ? m : n);
    }
  });

  test('one block per thread, big problems too (each block packs the other operand again)', () => {
    expect(planSplit(1024, 1024, 2).blocks).toBe(2);
    expect(planSplit(1024, 1024, 3).blocks).toBe(3);
    expect(planSplit(32, 128, 2).blocks).toBe(2);
  });
});

describe('configuration', () => {
  test('DIGITRAIN_THREADS sets the default pool size', async () => {
    process.env.DIGITRAIN_THREADS = '3';
    const pool = new ParallelPool();
    expect(pool.threads).toBe(3);
    await pool.shutdown();
    process.env.DIGITRAIN_THREADS = 'many';
    expect(() => new ParallelPool()).toThrow(/threads must be an integer from 1 to 256, got NaN/);
  });

  test('DIGITRAIN_WASM names the kernel file; a missing one means the TypeScript fallback', () => {
    process.env.DIGITRAIN_WASM = '/nonexistent/kernels.wasm';
    expect(findWasmFile()).toBeNull();
    delete process.env.DIGITRAIN_WASM;
    expect(findWasmFile()).toMatch(/build[/\\]wasm[/\\]kernels\.wasm$/);
  });
});
