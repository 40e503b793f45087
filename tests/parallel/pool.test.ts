import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { getMatmulBackend, matmulReference } from '../../src/engine/kernels/matmul';
import { enableParallel, ParallelPool, shutdownParallel } from '../../src/engine/parallel';
import { bitMismatches, cloneCase, errorVsReference, label, makeCase, SHAPES, TOLERANCE, VARIANTS } from './matmulCases';

const cases = SHAPES.flatMap(([m, k, n]) => VARIANTS.flatMap(({ transA, transB }) => [false, true].map((acc) => makeCase(m, k, n, transA, transB, acc)))).concat([
  makeCase(100, 1000, 300, false, false, false),
  makeCase(784, 256, 128, true, false, false),
]);

const pools: ParallelPool[] = [];
function pool(threads: number, wasm = true, extra: ConstructorParameters<typeof ParallelPool>[0] = {}): ParallelPool {
  // minParallelFlops 0 and no backoff: every case goes through the workers, however small and
  // however busy the machine.
  const p = new ParallelPool({ threads, wasm, minParallelFlops: 0, backoff: false, ...extra });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.shutdown()));
  await shutdownParallel();
});

// Starting a worker from TypeScript source takes a while, so the correctness tests share pools.
const shared = new Map<string, ParallelPool>();
function sharedPool(threads: number, wasm = true): ParallelPool {
  const key = `${threads}/${wasm}`;
  let p = shared.get(key);
  if (!p) shared.set(key, (p = new ParallelPool({ threads, wasm, minParallelFlops: 0, backoff: false })));
  return p;
}
afterAll(async () => {
  await Promise.all([...shared.values()].map((p) => p.shutdown()));
});

describe.each([1, 2, 3])('pool of %i thread(s)', (threads) => {
  test.each([true, false])('wasm=%s: every shape, transpose variant and accumulate equals the reference', async (wasm) => {
    const p = sharedPool(threads, wasm);
    await p.whenReady(); // so the workers really take blocks (until then the caller does them all)
    for (const args of cases) expect(errorVsReference(p.matmul, args), label(args)).toBeLessThan(TOLERANCE);
    expect(p.kernel).toBe(wasm ? 'wasm' : 'typescript');
    expect(p.workerCount).toBe(threads - 1);
  });
});

test('results are bit-identical whatever the pool size (training stays deterministic)', async () => {
  const args = makeCase(128, 32, 784, true, false, false);
  const results: Float32Array[] = [];
  for (const t of [1, 2, 3]) {
    const got = cloneCase(args);
    await sharedPool(t).whenReady();
    sharedPool(t).run(got);
    results.push(got.c);
  }
  expect(bitMismatches(results[1], results[0])).toBe(0);
  expect(bitMismatches(results[2], results[0])).toBe(0);
});

describe('lifecycle', () => {
  test('workers start on the first matmul big enough to share, not before', () => {
    const p = new ParallelPool({ threads: 2, minParallelFlops: 1e6 });
    pools.push(p);
    expect(p.workerCount).toBe(0);
    p.run(makeCase(8, 8, 8, false, false, false));
    expect(p.workerCount).toBe(0);
    p.run(makeCase(64, 128, 128, false, false, false));
    expect(p.workerCount).toBe(1);
  });

  test('enableParallel installs the pool as the matmul backend; shutdownParallel restores the reference', async () => {
    const p = enableParallel({ threads: 2 });
    expect(getMatmulBackend()).toBe(p.matmul);
    await shutdownParallel();
    expect(getMatmulBackend()).toBe(matmulReference);
    expect(() => p.run(makeCase(64, 64, 64, false, false, false))).toThrow(/after shutdown/);
  });

  test('rejects bad sizes and thread counts with a clear error', () => {
    expect(() => new ParallelPool({ threads: 0 })).toThrow(/threads must be an integer/);
    const p = pool(1);
    const args = makeCase(4, 4, 4, false, false, false);
    expect(() => p.run({ ...args, k: 5 })).toThrow(/A has 16 elements, needs 4×5/);
    expect(() => p.run({ ...args, m: -1 })).toThrow(/m must be a non-negative integer/);
  });

  test.each(['leave', 'shutdown'])('a process that used the pool exits by itself (%s)', async (mode) => {
    const script = fileURLToPath(new URL('./fixtures/poolExit.ts', import.meta.url));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', script, mode], { timeout: 240_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
    });
    expect(out.trim()).toBe('done');
  });
});

/**
 * Repeats a matmul until it throws: the faulty worker must first claim a block, and on a busy
 * machine the caller may take them all for a while. Pausing between calls lets the worker
 * fall asleep, so the next task wakes it while the caller is still busy with its own block.
 */
async function runUntilThrows(p: ParallelPool, args: ReturnType<typeof makeCase>): Promise<Error> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    try {
      p.run(args);
    } catch (err) {
      return err as Error;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the matmul never failed');
}

/**
 * The pool's clock for the sharing decisions (ParallelOptions.now): the real one, until the test
 * holds it at a time of its choosing. The verdict on a task is measured on the real clock (the
 * injected worker delay is real); how long the pool then works alone is read at held times, so
 * no assertion depends on how fast the machine runs the test.
 */
function drivenClock(): { now: () => number; hold(at: number): void } {
  let held: number | null = null;
  return { now: () => held ?? performance.now(), hold: (at) => (held = at) };
}

describe('a worker that is not running (a busy machine)', () => {
  test('holds the caller up once; then tasks run on the calling thread alone for a while, with the same results', async () => {
    // A worker that spins for 100 ms after a task: it should be awake for the next one, however busy the machine running the tests.
    const clock = drivenClock();
    const p = pool(2, true, { backoff: true, spinMicros: 100_000, now: clock.now });
    await p.whenReady();
    const args = makeCase(256, 256, 256, false, false, false);
    const want = cloneCase(args);
    matmulReference(want);
    const run = (): Float32Array => {
      const got = cloneCase(args);
      p.run(got);
      return got.c;
    };
    // Until the worker has claimed a block and slept in it (the caller may take them all), right
    // after a shared task (the worker should have been awake for this one), and the pool judged
    // that sharing did not pay. (A slow machine only makes that verdict likelier.)
    let first: Float32Array = new Float32Array(0);
    for (let attempt = 0; attempt < 200 && p.sharingPausedUntil === 0; attempt++) {
      const next = cloneCase(args);
      run();
      p.injectWorkerDelay(1, 60);
      p.run(next);
      first = next.c;
      if (p.sharingPausedUntil === 0) await new Promise((r) => setTimeout(r, 2));
    }
    const pausedUntil = p.sharingPausedUntil;
    expect(pausedUntil).toBeGreaterThan(0);
    // Within the pause (it lasts at least 10 ms after the task that did not pay): the calling thread alone.
    clock.hold(pausedUntil - 1);
    const shared = p.sharedTaskCount;
    const alone = run();
    expect(p.sharedTaskCount).toBe(shared);
    // After it: shared again.
    clock.hold(pausedUntil + 1);
    const again = run();
    expect(p.sharedTaskCount).toBe(shared + 1);
    expect(bitMismatches(alone, again)).toBe(0);
    expect(bitMismatches(first, again)).toBe(0);
    expect(Math.max(...alone.map((v, i) => Math.abs(v - want.c[i])))).toBeLessThan(TOLERANCE);
  });
});

describe('a worker woken from its sleep (an idle machine)', () => {
  test('that holds the caller up is no sign of a busy machine: the next task is shared again', async () => {
    const p = pool(2, true, { backoff: true });
    await p.whenReady();
    const args = makeCase(256, 256, 256, false, false, false);
    // Until a task the worker held up (the caller waited for its delayed block): a slow machine only makes that likelier.
    let stalled = false;
    for (let attempt = 0; attempt < 200 && !stalled; attempt++) {
      // Long after the last shared task (at least 5 ms, against a spin of 0.3 ms): the worker has stopped spinning and sleeps.
      await new Promise((r) => setTimeout(r, 5));
      p.injectWorkerDelay(1, 60);
      const start = performance.now();
      p.run(cloneCase(args));
      stalled = performance.now() - start > 50;
    }
    expect(stalled).toBe(true);
    expect(p.sharingPausedUntil).toBe(0);
    const shared = p.sharedTaskCount;
    p.run(cloneCase(args));
    expect(p.sharedTaskCount).toBe(shared + 1);
  });
});

describe('a worker that dies', () => {
  test('mid-matmul: the call throws instead of hanging, and so does the next one', async () => {
    const p = pool(3);
    await p.whenReady();
    p.injectWorkerCrash(2);
    const big = makeCase(256, 256, 256, false, false, false);
    expect((await runUntilThrows(p, big)).message).toMatch(/worker/);
    expect(() => p.run(makeCase(64, 64, 64, false, false, false))).toThrow(/worker/);
  });

  test("a block that throws in a worker fails the call with the worker's message", async () => {
    const p = pool(2);
    await p.whenReady();
    p.injectWorkerError(1);
    const big = makeCase(256, 256, 256, false, false, false);
    expect((await runUntilThrows(p, big)).message).toMatch(/pool worker 1: injected fault/);
    expect(() => p.run(big)).toThrow(/pool worker 1: injected fault/);
  });

  test('terminated between calls: the next call throws', async () => {
    const p = pool(2);
    await p.whenReady();
    const worker = (p as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0];
    await worker.terminate();
    await new Promise((r) => setImmediate(r));
    expect(() => p.run(makeCase(64, 64, 64, false, false, false))).toThrow(/worker 1 exited/);
  });

  test('vanished silently mid-task: the stall timeout turns the wait into an error', () => {
    const p = pool(2, true, { stallTimeoutMs: 200 });
    p.run(makeCase(64, 64, 64, false, false, false));
    // Simulate a worker that claimed a block and never finished it.
    const ctrl = (p as unknown as { ctrl: Int32Array }).ctrl;
    const realDispatch = Atomics.add;
    let hidden = false;
    Atomics.add = ((arr: Int32Array, index: number, value: number) => {
      if (!hidden && arr === ctrl && index === 2) {
        hidden = true; // swallow one block's completion
        return Atomics.load(arr, index);
      }
      return realDispatch(arr, index, value);
    }) as typeof Atomics.add;
    try {
      expect(() => p.run(makeCase(64, 64, 64, false, false, false))).toThrow(/no progress for 200 ms/);
    } finally {
      Atomics.add = realDispatch;
    }
  });
});
