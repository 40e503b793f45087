// The training step's WASM kernels against their TypeScript reference (kernels/fused.ts),
// on operands in the WASM memory. Where both compute in float32 (masks, column sums, the
// pixel scaling) they must agree bit for bit; elsewhere to float32 rounding.
import { afterAll, describe, expect, it } from 'vitest';
import type { Activation } from '../../src/engine/kernels/fusedActivation';
import { referenceFusedKernels as ref, type FusedKernels } from '../../src/engine/kernels/fused';
import { createWasmFusedKernels } from '../../src/engine/kernels/wasm/wasmFused';
import { ParallelPool } from '../../src/engine/parallel';
import { threadRuntime } from '../../src/engine/parallel/runtime';
import { expectClose } from '../engine/fixtures';
import { bitMismatches } from './matmulCases';

const runtime = threadRuntime();
if (!runtime) throw new Error('these tests need the WASM kernels (npm run build:wasm)');
// Every task shared, whatever the machine's load (no backoff), and workers that stay awake: they
// spin for 100 ms, and the pool's clock stands still, so however long the machine keeps this
// thread from running between a matmul and the task after it, the pool still counts them awake.
const pools = [1, 2].map((threads) => new ParallelPool({ threads, minParallelFlops: 0, backoff: false, spinMicros: 100_000, now: () => 0 }));
afterAll(() => Promise.all(pools.map((p) => p.shutdown())));
const wasm: FusedKernels = createWasmFusedKernels(runtime, pools[0]);
// The first 64 KiB belong to the module (its static data: exp's and log's tables among them).
const reserved = (): Uint8Array => new Uint8Array(runtime!.memory.allFloats.buffer, 0, 65536);
const reservedBefore = Uint8Array.from(reserved());

let seed = 7;
function random(lo = -1, hi = 1): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return lo + ((hi - lo) * seed) / 2 ** 32;
}
/** `length` random floats in the WASM memory. */
function resident(length: number, lo = -1, hi = 1): Float32Array {
  const a = runtime!.memory.persistentFloat32(length);
  for (let i = 0; i < length; i++) a[i] = random(lo, hi);
  return a;
}
const heapCopy = (a: Float32Array): Float32Array => Float32Array.from(a);
const residentCopy = (a: Float32Array): Float32Array => {
  const b = runtime!.memory.persistentFloat32(a.length);
  b.set(a);
  return b;
};

describe('linearForward: act(x·Wᵀ + b) with the epilogue in the matmul', () => {
  const shapes = [
    [1, 1, 1],
    [32, 784, 128],
    [33, 65, 17],
    [5, 300, 70],
    [64, 128, 10],
    [4, 0, 6],
  ] as const;
  for (const [m, k, n] of shapes) {
    for (const bias of [true, false]) {
      for (const activation of ['none', 'relu'] as Activation[]) {
        it(`${m}×${k}×${n}${bias ? ' + b' : ''} ${activation}: equals the reference, for 1 and 2 threads bit-identically`, () => {
          const x = resident(m * k);
          const w = resident(n * k);
          const b = bias ? resident(n) : null;
          const want = new Float32Array(m * n);
          ref.linearForward(heapCopy(x), heapCopy(w), b && heapCopy(b), want, m, k, n, activation);
          const got = pools.map((pool) => {
            const y = resident(m * n); // garbage in y: the kernel must overwrite it
            pool.linear(x, w, b, y, m, k, n, activation);
            return y;
          });
          expectClose(got[0], want, 'y', 1e-5, 1e-5);
          expect(bitMismatches(got[1], got[0])).toBe(0);
          if (activation === 'relu') expect(got[0].every((v) => v >= 0 && !Object.is(v, -0))).toBe(true);
        });
      }
    }
  }

  it('falls back to the reference for operands outside the WASM memory', () => {
    const x = new Float32Array(6).fill(1);
    const w = resident(12);
    const y = new Float32Array(8);
    wasm.linearForward(x, w, null, y, 2, 3, 4, 'none');
    expect(y[0]).toBeCloseTo(w[0] + w[1] + w[2], 6);
  });
});

describe('activationBackward: ReLU mask and bias gradient in one pass', () => {
  for (const [rows, cols] of [
    [32, 128],
    [7, 10],
    [3, 5],
    [1, 1],
  ] as const) {
    it(`${rows}×${cols}: bit-identical to the reference, with and without an activation`, () => {
      const g = resident(rows * cols);
      const y = resident(rows * cols);
      y[0] = 0;
      y[1 % y.length] = -0;
      for (const activation of ['relu', 'none'] as Activation[]) {
        const db0 = resident(cols);
        const wantGz = new Float32Array(rows * cols);
        const wantDb = heapCopy(db0);
        ref.activationBackward(heapCopy(g), heapCopy(y), rows, cols, activation, activation === 'none' ? null : wantGz, wantDb);
        const gz = resident(rows * cols);
        const db = residentCopy(db0);
        wasm.activationBackward(g, y, rows, cols, activation, activation === 'none' ? null : gz, db);
        if (activation === 'relu') expect(bitMismatches(gz, wantGz)).toBe(0);
        expect(bitMismatches(db, wantDb)).toBe(0);
      }
    });
  }
});

describe('crossEntropy: loss and gradient in one pass', () => {
  it('matches the reference loss and (softmax − onehot)/n, and skips the gradient when asked', () => {
    for (const [n, c] of [
      [32, 10],
      [3, 7],
      [1, 1],
    ] as const) {
      const logits = resident(n * c, -30, 30);
      const targets = Int32Array.from({ length: n }, (_, i) => (i * 3) % c);
      const want = new Float32Array(n * c);
      const wantLoss = ref.crossEntropy(heapCopy(logits), targets, n, c, want);
      const got = resident(n * c);
      expect(wasm.crossEntropy(logits, targets, n, c, got)).toBeCloseTo(wantLoss, 6);
      expectClose(got, want, 'dlogits', 1e-5, 1e-7);
      expect(wasm.crossEntropy(logits, targets, n, c, null)).toBeCloseTo(wantLoss, 6);
    }
  });
});

describe("sumOfSquares: a gradient norm's square in float64", () => {
  it('matches the reference to float64 rounding, tail and empty included, and does not lose small terms', () => {
    for (const n of [0, 1, 3, 4, 7, 1029, 101_770]) {
      // Not from random(): the later tests' operands stay the ones they were written with.
      const x = residentCopy(Float32Array.from({ length: n }, (_, i) => 2 * Math.sin(i * 0.37)));
      const want = ref.sumOfSquares(heapCopy(x));
      expect(Math.abs(wasm.sumOfSquares(x) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
    }
    // One large term and 10⁵ tiny ones: a float32 sum would drop the tiny ones entirely.
    const x = residentCopy(new Float32Array(100_001).fill(1e-4));
    x[0] = 1e3;
    expect(wasm.sumOfSquares(x)).toBeCloseTo(1e6 + 100_000 * Math.fround(1e-4 * 1e-4), 6);
  });

  it('sumOfSquaredDifferences: Σ (a − b)² matches the reference to float64 rounding; operands outside the memory take the reference', () => {
    for (const n of [0, 1, 3, 4, 17, 1029, 101_770]) {
      // Not from random() either (see above).
      const a = residentCopy(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.91)));
      const b = residentCopy(a.map((v, i) => v + (i % 3) * 1e-3 * Math.cos(i)));
      const want = ref.sumOfSquaredDifferences(heapCopy(a), heapCopy(b));
      expect(Math.abs(wasm.sumOfSquaredDifferences(a, b) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
      if (n > 1) expect(want).toBeGreaterThan(0);
      expect(wasm.sumOfSquaredDifferences(a, a)).toBe(0);
    }
    const a = residentCopy(Float32Array.from({ length: 33 }, (_, i) => i / 7));
    const heap = heapCopy(a);
    heap[32] += 0.5;
    expect(wasm.sumOfSquaredDifferences(a, heap)).toBe(ref.sumOfSquaredDifferences(a, heap));
    expect(wasm.sumOfSquaredDifferences(a, heap)).toBeCloseTo(0.25, 6);
    expect(() => ref.sumOfSquaredDifferences(a, new Float32Array(2))).toThrow(/lengths 33 and 2/);
  });
});

describe('optimizer updates', () => {
  const n = 1029; // not a multiple of 4: the tail runs too

  it.each([0, 0.01])('Adam (weight decay %s) matches the reference', (weightDecay) => {
    const p = resident(n),
      g = resident(n, -1e-2, 1e-2),
      m = resident(n, -1e-3, 1e-3),
      v = resident(n, 0, 1e-5);
    const want = [p, g, m, v].map(heapCopy);
    for (let step = 1; step <= 3; step++) {
      const stepSize = 1e-3 / (1 - 0.9 ** step);
      const invC2 = 1 / Math.sqrt(1 - 0.999 ** step);
      ref.adam(want[0], want[1], want[2], want[3], 0.9, 0.999, stepSize, invC2, 1e-8, weightDecay);
      wasm.adam(p, g, m, v, 0.9, 0.999, stepSize, invC2, 1e-8, weightDecay);
    }
    expectClose(p, want[0], 'p', 1e-6, 1e-7);
    expectClose(m, want[2], 'exp_avg', 1e-5, 1e-9);
    expectClose(v, want[3], 'exp_avg_sq', 1e-5, 1e-12);
  });

  it("Adam's first update is PyTorch's formula to float32 rounding, 1 − β1 and 1 − β2 included", () => {
    // From p = m = v = 0 the stored weight is the update itself: stepSize·(1 − β1)·g / (√((1 − β2)·g²)·invC2 + eps),
    // a chain of eight float32 roundings (constants included), so within 16·2⁻²⁴ of it. 1 − β2 taken from float32's
    // β2 instead of rounded from 1 − 0.999 is 1.3e-5 off and moved every update by 6.6e-6 of itself.
    const p = resident(n).fill(0),
      g = resident(n, -1e-2, 1e-2),
      m = resident(n).fill(0),
      v = resident(n).fill(0);
    const stepSize = 1e-3 / (1 - 0.9);
    const invC2 = 1 / Math.sqrt(1 - 0.999);
    wasm.adam(p, g, m, v, 0.9, 0.999, stepSize, invC2, 1e-8, 0);
    for (let i = 0; i < n; i++) {
      const exact = (-stepSize * (1 - 0.9) * g[i]) / (Math.sqrt((1 - 0.999) * g[i] * g[i]) * invC2 + 1e-8);
      expect(Math.abs(p[i] - exact), `element ${i}`).toBeLessThanOrEqual(16 * 2 ** -24 * Math.abs(exact));
    }
  });

  it('Adam stores moments below the smallest normal float as 0 (subnormals are slow on x86)', () => {
    const p = resident(8),
      g = resident(8),
      m = resident(8),
      v = resident(8);
    g.fill(0);
    m.fill(5e-39); // subnormal already
    m[1] = 1.2e-38; // normal, but β1·m is not
    v.fill(1e-30);
    v[2] = 1.17e-38;
    const before = Float32Array.from(p);
    wasm.adam(p, g, m, v, 0.9, 0.999, 1e-3, 1, 1e-8, 0);
    expect([...m]).toEqual(new Array(8).fill(0));
    expect(v[2]).toBe(0);
    expect(v[0]).toBeCloseTo(0.999e-30, 36);
    expect(bitMismatches(p, before)).toBe(0);
  });

  it('Adam and SGD on a large parameter, shared among 2 threads, give the bits of one thread', async () => {
    await pools[1].whenReady();
    const size = 100_003; // split into ranges (over 32k elements), with a ragged end
    const state = [resident(size), resident(size, -1e-2, 1e-2), resident(size, -1e-3, 1e-3), resident(size, 0, 1e-5)];
    // A matmul first: updates are shared only while the workers are awake after one.
    const wake = (pool: ParallelPool): void => pool.linear(resident(64 * 64), resident(64 * 64), null, resident(64 * 64), 64, 64, 64, 'none');
    const runs = pools.map((pool) => {
      const [p, g, m, v] = state.map(residentCopy);
      const buf = residentCopy(state[2]);
      const sharedBefore = pool.sharedTaskCount;
      for (let step = 1; step <= 2; step++) {
        wake(pool);
        pool.adam(p, g, m, v, 0.9, 0.999, 1e-3 / (1 - 0.9 ** step), 1.2, 1e-8, 0.01);
      }
      for (const first of [true, false]) {
        wake(pool);
        pool.sgd(p, g, buf, 0.05, 0.9, 0, 1e-4, true, first);
      }
      return { arrays: [p, m, v, buf], shared: pool.sharedTaskCount - sharedBefore };
    });
    expect(runs[0].shared).toBe(0);
    expect(runs[1].shared).toBe(8); // the 4 matmuls and the 4 updates
    runs[1].arrays.forEach((a, i) => expect(bitMismatches(a, runs[0].arrays[i]), `array ${i}`).toBe(0));
    expect(bitMismatches(runs[0].arrays[0], state[0])).toBeGreaterThan(size / 2); // the updates did run
  });

  const sgdCases = [
    { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
    { momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
    { momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false },
    { momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true },
  ];
  it.each(sgdCases)('SGD %o matches the reference, first step and later', ({ momentum, dampening, weightDecay, nesterov }) => {
    const p = resident(n),
      g = resident(n, -1e-2, 1e-2);
    const buf = momentum ? resident(n) : null;
    const want = [p, g].map(heapCopy);
    const wantBuf = buf && heapCopy(buf);
    for (const first of [true, false, false]) {
      ref.sgd(want[0], want[1], wantBuf, 0.05, momentum, dampening, weightDecay, nesterov, first);
      wasm.sgd(p, g, buf, 0.05, momentum, dampening, weightDecay, nesterov, first);
    }
    expectClose(p, want[0], 'p', 1e-6, 1e-7);
    // g + wd·p cancels to ~1e-4 from terms of ~1e-2: float32 is good to ~1e-9 absolute there.
    if (buf && wantBuf) expectClose(buf, wantBuf, 'momentum_buffer', 1e-6, 1e-8);
  });
});

describe('columnRuns, gatherColumns, scatterColumns: a Linear skipping all-zero input columns', () => {
  const residentInts = (length: number): Int32Array => {
    const f = runtime!.memory.persistentFloat32(length);
    return new Int32Array(f.buffer, f.byteOffset, length);
  };

  it.each([
    [32, 784],
    [5, 67],
    [1, 4],
    [3, 9],
  ])('%i×%i: the same runs and copies as the reference', (rows, cols) => {
    const x = resident(rows * cols);
    const zero = (c: number): boolean => c % 5 === 0 || c % 11 < 3 || c === cols - 1;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (zero(c)) x[r * cols + c] = r % 2 ? -0 : 0; // −0 is a zero too
      }
    }
    const nanColumn = rows > 1 && cols > 5 ? 5 : -1;
    if (nanColumn >= 0) x[cols + nanColumn] = NaN; // NaN is not zero: its zero column stays
    const want = new Int32Array(cols + 1);
    const wantRuns = ref.columnRuns(heapCopy(x), rows, cols, want);
    const got = residentInts(cols + 1);
    expect(wasm.columnRuns(x, rows, cols, got)).toBe(wantRuns);
    expect([...got.subarray(0, 2 * wantRuns)]).toEqual([...want.subarray(0, 2 * wantRuns)]);
    let width = 0;
    for (let k = 0; k < wantRuns; k++) width += want[2 * k + 1];
    expect(width).toBe(Array.from({ length: cols }, (_, c) => c).filter((c) => !zero(c) || c === nanColumn).length);

    const packed = resident(rows * width);
    const wantPacked = new Float32Array(rows * width);
    ref.gatherColumns(heapCopy(x), rows, cols, want, wantRuns, wantPacked);
    wasm.gatherColumns(x, rows, cols, got, wantRuns, packed);
    expect(bitMismatches(packed, wantPacked)).toBe(0);

    for (const accumulate of [false, true]) {
      const dst = resident(rows * cols);
      const wantDst = heapCopy(dst);
      ref.scatterColumns(wantPacked, rows, want, wantRuns, wantDst, cols, accumulate);
      wasm.scatterColumns(packed, rows, got, wantRuns, dst, cols, accumulate);
      expect(bitMismatches(dst, wantDst)).toBe(0);
    }
  });
});

describe('gatherScaled: batch rows / 255', () => {
  it.each([784, 37])('rows of %i pixels: bit-identical to the reference (every byte value)', (rowLength) => {
    const count = 300;
    const images = Uint8Array.from({ length: count * rowLength }, (_, i) => (i * 7 + (i >> 8)) & 255);
    const indices = Int32Array.from([5, 0, 299, 5, 17, 256, 1]);
    const want = new Float32Array(indices.length * rowLength);
    ref.gatherScaled(images, rowLength, indices, indices.length, want);
    const got = resident(indices.length * rowLength);
    wasm.gatherScaled(images, rowLength, indices, indices.length, got);
    expect(bitMismatches(got, want)).toBe(0);
    expect(want[0]).toBe(Math.fround(images[5 * rowLength] / 255));
    expect(new Set(images).size).toBe(256);
  });
});

describe("relu, reluGrad, maxPool, maxPoolGrad: a CNN's activations and pooling", () => {
  // Deterministic values (not random()), with what the bit tricks must get right: signed zeros,
  // NaNs of either sign, infinities, subnormals and exact ties.
  const special = [0, -0, NaN, -NaN, Infinity, -Infinity, 1e-40, -1e-40, 3, -3, 0.5];
  const values = (n: number, zeros = 0.3): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = Math.sin(i * 12.9898) * 43758.5453;
      const frac = r - Math.floor(r);
      a[i] = i % 17 === 3 ? special[((i / 17) % special.length) | 0] : frac < zeros ? 0 : Math.sin(i * 0.7) * 4;
    }
    return a;
  };
  const nanBits = (a: Float32Array): Float32Array => {
    // −NaN written through a Float32Array may be canonicalised; set its bits directly.
    const bits = new Int32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]) && i % 2) bits[i] = 0xffc00000 | 0;
    return a;
  };

  it.each([1029, 4, 3, 0])('relu over %i floats: bit-identical to the reference', (n) => {
    const x = residentCopy(nanBits(values(n)));
    const want = new Float32Array(n);
    ref.relu(heapCopy(x), want);
    const got = resident(n);
    wasm.relu(x, got);
    expect(bitMismatches(got, want)).toBe(0);
  });

  it.each([1029, 7])('reluGrad over %i floats: bit-identical, a dead unit passes no NaN or ∞ on', (n) => {
    const g = residentCopy(nanBits(values(n, 0)));
    const y = residentCopy(nanBits(values(n)));
    const dx = residentCopy(values(n, 0.5).map((v, i) => (i % 3 ? v : -0)));
    // Dead units (y ≤ 0) with an infinite or NaN gradient, in the vector part and the tail.
    for (const i of [1, n - 1]) {
      y[i] = i === 1 ? 0 : -2;
      g[i] = i === 1 ? Infinity : NaN;
      dx[i] = 0.25;
    }
    const want = heapCopy(dx);
    ref.reluGrad(heapCopy(g), heapCopy(y), want);
    wasm.reluGrad(g, y, dx);
    // A NaN's sign and payload are not specified (JavaScript and WASM arithmetic differ there); any NaN matches any.
    expect(
      bitMismatches(
        dx.map((v) => (Number.isNaN(v) ? NaN : v)),
        want.map((v) => (Number.isNaN(v) ? NaN : v)),
      ),
    ).toBe(0);
    expect([dx[1], dx[n - 1]]).toEqual([0.25, 0.25]);
  });

  // [h, w, kH, kW, sH, sW, pH, pW]: the cnn preset's two pools, LeNet's, overlapping windows, padding;
  // windows two wide and two apart (read in pairs of loads) with a scalar tail, padding and three rows;
  // rows whose last windows, fewer than four, are done as the last four (paired and gathered).
  const geometries = [
    [7, 15, 3, 3, 2, 2, 0, 0],
    [14 * 2, 14 * 2, 2, 2, 2, 2, 0, 0],
    [14, 14, 3, 3, 3, 3, 0, 0],
    [10, 10, 2, 2, 2, 2, 0, 0],
    [9, 12, 3, 2, 2, 2, 1, 1],
    [7, 19, 2, 2, 2, 2, 1, 1],
    [9, 11, 3, 3, 2, 2, 1, 1],
    [6, 5, 2, 3, 1, 1, 0, 1],
  ] as const;
  /** A max-pooling case: the input (resident), the reference's output and winners, and resident room for ours. */
  function poolCase(planes: number, h: number, w: number, kH: number, kW: number, sH: number, sW: number, pH: number, pW: number) {
    const oH = Math.floor((h + 2 * pH - kH) / sH) + 1;
    const oW = Math.floor((w + 2 * pW - kW) / sW) + 1;
    const geometry = { planes, h, w, kH, kW, sH, sW, pH, pW, oH, oW };
    const x = residentCopy(nanBits(values(planes * h * w, 0.5)));
    const count = planes * oH * oW;
    const want = new Float32Array(count);
    const wantArgmax = new Int32Array(count);
    ref.maxPool(heapCopy(x), geometry, want, wantArgmax);
    const gotArgmaxFloats = resident(count);
    const gotArgmax = new Int32Array(gotArgmaxFloats.buffer, gotArgmaxFloats.byteOffset, count);
    return { geometry, x, count, want, wantArgmax, got: resident(count), gotArgmax };
  }

  it.each(geometries)('maxPool %i×%i k%i×%i s%i×%i p%i×%i and its gradient: the same winners, values and sums', (h, w, kH, kW, sH, sW, pH, pW) => {
    const planes = 6;
    const { geometry, x, count, want, wantArgmax, got, gotArgmax } = poolCase(planes, h, w, kH, kW, sH, sW, pH, pW);
    wasm.maxPool(x, geometry, got, gotArgmax);
    expect(bitMismatches(got, want)).toBe(0);
    expect([...gotArgmax]).toEqual([...wantArgmax]);
    const grad = residentCopy(values(count, 0));
    const dx = resident(planes * h * w);
    const wantDx = heapCopy(dx);
    ref.maxPoolGrad(heapCopy(grad), wantArgmax, wantDx);
    wasm.maxPoolGrad(grad, gotArgmax, dx);
    expect(bitMismatches(dx, wantDx)).toBe(0);
  });

  describe('shared among 2 threads: ranges of elements and of planes give the bits of one call', () => {
    // A shared matmul first: ReLU and pooling are shared only while the workers still spin after one.
    const wake = (pool: ParallelPool): void => pool.linear(resident(64 * 64), resident(64 * 64), null, resident(64 * 64), 64, 64, 64, 'none');
    const shared = (pool: ParallelPool, run: () => void): number => {
      wake(pool);
      const before = pool.sharedTaskCount;
      run();
      return pool.sharedTaskCount - before;
    };
    const n = 100_003; // over the 65,536 floats below which a pass stays on one thread, with a ragged end

    it('relu, reluGrad and reluGradWrite', async () => {
      const pool = pools[1];
      await pool.whenReady();
      const x = residentCopy(nanBits(values(n)));
      const g = residentCopy(values(n, 0));
      const dx = residentCopy(values(n, 0.5));
      const out = resident(n);
      const wantOut = new Float32Array(n);
      ref.relu(heapCopy(x), wantOut);
      expect(shared(pool, () => pool.relu(x, out))).toBe(1);
      expect(bitMismatches(out, wantOut)).toBe(0);
      const wantAdd = heapCopy(dx);
      ref.reluGrad(heapCopy(g), heapCopy(out), wantAdd);
      expect(shared(pool, () => pool.reluGrad(g, out, dx))).toBe(1);
      expect(bitMismatches(dx, wantAdd)).toBe(0);
      const written = resident(n);
      const wantWritten = new Float32Array(n);
      ref.reluGradWrite(heapCopy(g), heapCopy(out), wantWritten);
      expect(shared(pool, () => pool.reluGradWrite(g, out, written))).toBe(1);
      expect(bitMismatches(written, wantWritten)).toBe(0);
      // Small passes stay on the calling thread.
      expect(shared(pool, () => pool.relu(x.subarray(0, 1000), out.subarray(0, 1000)))).toBe(0);
    });

    // The cnn preset's two pools at a ragged number of planes, and overlapping padded windows.
    it.each([
      [97, 28, 28, 2, 2, 2, 2, 0, 0],
      [347, 14, 14, 3, 3, 3, 3, 0, 0],
      [301, 15, 16, 3, 3, 2, 2, 1, 1],
    ] as const)('maxPool and maxPoolGradWrite over %i planes of %i×%i, k%i×%i s%i×%i p%i×%i', async (planes, h, w, kH, kW, sH, sW, pH, pW) => {
      const pool = pools[1];
      await pool.whenReady();
      const { geometry, x, count, want, wantArgmax, got, gotArgmax } = poolCase(planes, h, w, kH, kW, sH, sW, pH, pW);
      expect(shared(pool, () => pool.maxPool(x, geometry, got, gotArgmax))).toBe(1);
      expect(bitMismatches(got, want)).toBe(0);
      expect([...gotArgmax]).toEqual([...wantArgmax]);
      const grad = residentCopy(values(count, 0));
      const dx = resident(planes * h * w); // garbage: every plane must be written
      const wantDx = new Float32Array(planes * h * w);
      ref.maxPoolGradWrite(heapCopy(grad), wantArgmax, planes, h * w, wantDx);
      expect(shared(pool, () => pool.maxPoolGradWrite(grad, gotArgmax, planes, h * w, dx))).toBe(1);
      expect(bitMismatches(dx, wantDx)).toBe(0);
    });

    it('a pass after the workers have gone to sleep stays on the calling thread (waking one costs more than its share)', async () => {
      let clock = 0;
      const pool = new ParallelPool({ threads: 2, minParallelFlops: 0, backoff: false, spinMicros: 300, now: () => clock });
      try {
        await pool.whenReady();
        const x = residentCopy(values(n));
        const out = resident(n);
        expect(shared(pool, () => pool.relu(x, out))).toBe(1); // the clock has not moved: still spinning
        wake(pool);
        clock += 1; // 1 ms later: asleep
        const before = pool.sharedTaskCount;
        pool.relu(x, out);
        expect(pool.sharedTaskCount - before).toBe(0);
      } finally {
        await pool.shutdown();
      }
    });
  });
});

it("no kernel above wrote outside its operands (the module's own 64 KiB are unchanged)", () => {
  expect(bitMismatches(new Float32Array(reserved().buffer, 0, 16384), new Float32Array(reservedBefore.buffer))).toBe(0);
});
