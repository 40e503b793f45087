// The pool's convolution (im2col, products and col2im inside its WASM memory) against the
// reference kernel (TypeScript loops, products through the same pool's matmul, the weight
// gradient through dotRows' TypeScript twin): the same steps in the same order, so the results
// must be bit-identical, for every geometry, whether the operands are copied in (ordinary
// arrays) or used in place (in the WASM memory).
// (Every product here is above the 512 FLOPs below which the pool's matmul hands tiny
// products to its TypeScript kernel, which rounds differently.)
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { convReference, getConvBackend, type ConvGeometry } from '../../src/engine/kernels/conv';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { Rng, stepScope } from '../../src/engine';
import { allocFloat32, isResident, persistentFloat32 } from '../../src/engine/storage';
import { bitMismatches } from './matmulCases';

interface Case {
  name: string;
  g: ConvGeometry;
  o: number;
}

function geometry(n: number, c: number, h: number, w: number, k: [number, number], s: [number, number], p: [number, number]): ConvGeometry {
  const oH = Math.floor((h + 2 * p[0] - k[0]) / s[0]) + 1;
  const oW = Math.floor((w + 2 * p[1] - k[1]) / s[1]) + 1;
  return { n, c, h, w, kH: k[0], kW: k[1], sH: s[0], sW: s[1], pH: p[0], pW: p[1], oH, oW };
}

const cases: Case[] = [
  // 39,200 columns per sample: sliced (kernels/conv.ts COLS_SLICE_FLOATS, 3 samples a slice at 1 << 17, 3·10 + 2).
  { name: 'cnn conv2: same padding, stride 1 (whole-plane copies)', g: geometry(32, 8, 14, 14, [5, 5], [1, 1], [2, 2]), o: 16 },
  { name: 'cnn conv1 at batch 3', g: geometry(3, 1, 28, 28, [5, 5], [1, 1], [2, 2]), o: 8 },
  { name: 'one sample, no padding', g: geometry(1, 2, 7, 6, [3, 3], [1, 1], [0, 0]), o: 3 },
  { name: 'stride [2, 3], padding [1, 2], kernel 3×4', g: geometry(2, 3, 9, 11, [3, 4], [2, 3], [1, 2]), o: 5 },
  { name: 'kernel as wide as the padded input, stride 2', g: geometry(64, 2, 3, 3, [5, 5], [2, 2], [1, 1]), o: 2 },
  { name: '1×1 kernel', g: geometry(4, 6, 5, 5, [1, 1], [1, 1], [0, 0]), o: 7 },
  // 1296 × 784 columns per sample, more than a slice holds: the batch is convolved a sample at a time.
  { name: 'a batch in slices (16 channels, 9×9, same padding, 6 samples)', g: geometry(6, 16, 28, 28, [9, 9], [1, 1], [4, 4]), o: 4 },
  { name: 'one sample of a sliced geometry', g: geometry(1, 16, 28, 28, [9, 9], [1, 1], [4, 4]), o: 3 },
];

const rng = new Rng(3);
const random = (length: number): Float32Array => Float32Array.from({ length }, () => rng.next() * 2 - 1);

describe('pool convolution (WASM memory) equals the reference kernel bit for bit', () => {
  beforeAll(async () => {
    // Every product through the workers, however small.
    await enableParallel({ threads: 2, minParallelFlops: 0 }).whenReady();
  });
  afterAll(() => shutdownParallel());

  test('the pool installs its own kernel', () => {
    expect(getConvBackend()).not.toBe(convReference);
  });

  for (const { name, g, o } of cases) {
    test(name, () => {
      const pool = getConvBackend();
      const x = random(g.n * g.c * g.h * g.w);
      const w = random(o * g.c * g.kH * g.kW);
      const bias = random(o);
      const grad = random(g.n * o * g.oH * g.oW);
      const run = (kernel: typeof pool) => {
        const y = new Float32Array(grad.length);
        kernel.forward(x, w, bias, g, o, y);
        // Gradients accumulate into what is there, as autograd's buffers require.
        const gx = Float32Array.from(x, (v) => v / 8);
        const gw = Float32Array.from(w, (v) => v / 8);
        const gb = Float32Array.from(bias, (v) => v / 8);
        kernel.backward(x, w, grad, g, o, gx, gw, gb);
        const onlyGx = new Float32Array(x.length);
        kernel.backward(x, w, grad, g, o, onlyGx, null, null);
        const onlyGb = new Float32Array(o);
        kernel.backward(x, w, grad, g, o, null, null, onlyGb);
        return { y, gx, gw, gb, onlyGx, onlyGb };
      };
      const ours = run(pool);
      const reference = run(convReference);
      for (const key of ['y', 'gx', 'gw', 'gb', 'onlyGx', 'onlyGb'] as const) {
        expect(
          ours[key].some((v) => v !== 0),
          `${key} is not all zeros`,
        ).toBe(true);
        expect(bitMismatches(ours[key], reference[key]), key).toBe(0);
      }

      // The same with every operand in the WASM memory, as in a training step: the weight,
      // bias and their gradients persistent (parameters), the rest in a step scope's arena.
      const inPlace = stepScope(() => {
        const arena = (from: Float32Array): Float32Array => {
          const a = allocFloat32(from.length);
          a.set(from);
          return a;
        };
        const persistent = (from: Float32Array): Float32Array => {
          const a = persistentFloat32(from.length);
          a.set(from);
          return a;
        };
        const xIn = arena(x);
        const wIn = persistent(w);
        const biasIn = persistent(bias);
        const gradIn = arena(grad);
        const y = allocFloat32(grad.length);
        const gx = arena(Float32Array.from(x, (v) => v / 8));
        const gw = persistent(Float32Array.from(w, (v) => v / 8));
        const gb = persistent(Float32Array.from(bias, (v) => v / 8));
        for (const a of [xIn, wIn, biasIn, gradIn, y, gx, gw, gb]) expect(isResident(a)).toBe(true);
        pool.forward(xIn, wIn, biasIn, g, o, y);
        pool.backward(xIn, wIn, gradIn, g, o, gx, gw, gb);
        // Copied out inside the scope: the arena is reused afterwards.
        return { y: Float32Array.from(y), gx: Float32Array.from(gx), gw: Float32Array.from(gw), gb: Float32Array.from(gb) };
      });
      for (const key of ['y', 'gx', 'gw', 'gb'] as const) {
        expect(bitMismatches(inPlace[key], reference[key]), `${key} in place`).toBe(0);
      }
    });
  }
});

// A pass is one pool task whose blocks are groups of samples (parallel/convBlock.ts). Which
// thread runs which group must not matter: the weight gradient is summed per group and the
// groups added in order, so every pool size gives the same bits — and the passes really are
// shared with the workers.
describe('pool convolution: the same bits on 1, 2 and 3 threads, and the passes shared', () => {
  afterAll(() => shutdownParallel());
  const g = geometry(32, 8, 14, 14, [5, 5], [1, 1], [2, 2]);
  const o = 16;
  const x = random(g.n * g.c * g.h * g.w);
  const w = random(o * g.c * g.kH * g.kW);
  const bias = random(o);
  const grad = random(g.n * o * g.oH * g.oW);

  async function runOn(threads: number): Promise<{ results: Float32Array[]; shared: number }> {
    await shutdownParallel();
    const pool = enableParallel({ threads, minParallelFlops: 0 });
    await pool.whenReady();
    const kernel = getConvBackend();
    const before = pool.sharedTaskCount;
    const y = new Float32Array(grad.length);
    kernel.forward(x, w, bias, g, o, y);
    const gx = new Float32Array(x.length);
    const gw = Float32Array.from(w, (v) => v / 8);
    kernel.backward(x, w, grad, g, o, gx, gw, null);
    return { results: [y, gx, gw], shared: pool.sharedTaskCount - before };
  }

  test('one, two and three threads', async () => {
    const one = await runOn(1);
    expect(one.shared).toBe(0);
    for (const threads of [2, 3]) {
      const many = await runOn(threads);
      // The forward pass and the backward pass: two tasks, each shared (no product is shared on its own).
      expect(many.shared, `${threads} threads`).toBe(2);
      one.results.forEach((a, i) => expect(bitMismatches(many.results[i], a), `${threads} threads, result ${i}`).toBe(0));
    }
    const reference = new Float32Array(grad.length);
    convReference.forward(x, w, bias, g, o, reference);
    expect(bitMismatches(one.results[0], reference)).toBe(0);
  });
});

// A convolution pass is judged like a shared matmul (pool.ts SHARING_MUST_SAVE): when a worker
// held the caller up, the passes run on the calling thread alone for a while, with the same bits.
describe('pool convolution: a worker that is not running (a busy machine)', () => {
  afterAll(() => shutdownParallel());

  test('holds one pass up; the next run on the calling thread alone, with the same bits', async () => {
    await shutdownParallel();
    let held: number | null = null;
    const now = (): number => held ?? performance.now();
    // Spinning 100 ms after a task: the worker should be awake for the next one, however busy the machine.
    const pool = enableParallel({ threads: 2, minParallelFlops: 0, backoff: true, spinMicros: 100_000, now });
    await pool.whenReady();
    const kernel = getConvBackend();
    const g = geometry(32, 8, 14, 14, [5, 5], [1, 1], [2, 2]);
    const o = 16;
    const x = random(g.n * g.c * g.h * g.w);
    const w = random(o * g.c * g.kH * g.kW);
    const forward = (): Float32Array => {
      const y = new Float32Array(g.n * o * g.oH * g.oW);
      kernel.forward(x, w, null, g, o, y);
      return y;
    };
    const shared = forward();
    // Until the worker has claimed a group and slept in it (the caller may take them all): a slow machine only makes that likelier.
    for (let attempt = 0; attempt < 200 && pool.sharingPausedUntil === 0; attempt++) {
      forward();
      pool.injectWorkerDelay(1, 60);
      expect(bitMismatches(forward(), shared)).toBe(0);
      if (pool.sharingPausedUntil === 0) await new Promise((r) => setTimeout(r, 2));
    }
    const pausedUntil = pool.sharingPausedUntil;
    expect(pausedUntil).toBeGreaterThan(0);
    held = pausedUntil - 1;
    const tasks = pool.sharedTaskCount;
    const alone = forward();
    expect(pool.sharedTaskCount).toBe(tasks);
    held = pausedUntil + 1;
    const again = forward();
    expect(pool.sharedTaskCount).toBe(tasks + 1);
    expect(bitMismatches(alone, shared)).toBe(0);
    expect(bitMismatches(again, shared)).toBe(0);
  });
});
