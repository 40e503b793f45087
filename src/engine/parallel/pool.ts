// The worker pool behind the parallel matmul.
//
// One shared WebAssembly.Memory holds every thread's scratch and the current operands;
// the calling thread copies A and B in once, every thread computes its blocks of C in
// place, and the caller copies C out. Dispatch is a few Atomics on a control block
// (controlBlock.ts); no array is ever posted or cloned per call.
//
// The calling thread takes blocks too and then waits in Atomics.wait. 'exit' events cannot
// reach it while it waits, so a dying worker says so through the control block (DEAD), a
// throwing block through ERROR, and a worker that vanishes silently (terminated mid-task)
// is caught by the stall timeout. Any of these fails the call with an Error and marks the
// pool broken; `shutdownParallel()` + `enableParallel()` start afresh.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { MatmulArgs } from '../kernels/matmul';
import { matmulBlocked } from '../kernels/matmulBlocked';
import { createGemmMemory, instantiateGemm, StagingArea } from '../kernels/wasm/gemmMemory';
import type { WasmModule } from '../kernels/wasm/wasmApi';
import { tsBlockKernel, wasmBlockKernel, type BlockKernel } from './blockKernel';
import {
  claimBlock, controlInts, createControlBlock, finishBlock, GEN_MASK, BLOCK_BITS, Op, readErrorText, Slot,
  writeTask, type Task,
} from './controlBlock';
import type { PoolWorkerData } from './poolWorker';
import { spawnWorker } from './spawnWorker';
import { planSplit } from './splitWork';
import { loadWasmModule } from './wasmModule';

/**
 * Below this many FLOPs (2·m·n·k) a matmul stays on the calling thread. Sharing saves half
 * the kernel time (~17 µs per MFLOP at ~30 GFLOPS) but costs a dispatch (~2 µs), the
 * worker's wake-up (near zero while it still spins after the previous task, ~20–50 µs from
 * Atomics.wait) and a second core that the UI may need. Measured on the idle 2-core machine,
 * whole training steps of the reference MLP (Trainer, Adam): at batch 32 (6.4-MFLOP layers)
 * 1 thread 797 steps/s, pool with a 1-MFLOP threshold 745, with 32 MFLOP 822; at batch 256
 * (51-MFLOP layers) 227 / 238 / 246. So the batch-32 layers stay on the calling thread and
 * the batch-256 ones and up are shared. `npm run bench -- --threshold` times single matmuls.
 */
export const DEFAULT_MIN_PARALLEL_FLOPS = 16_000_000;
/** Below this many FLOPs the copy into WASM memory does not pay: plain TypeScript loops.
 * (Measured: the two tie at ~256 FLOPs, 0.25 µs; at 4 kFLOP WASM takes 0.4 µs, TypeScript 1.1.) */
const MIN_WASM_FLOPS = 512;

export interface ParallelOptions {
  /** Threads including the calling one; default $DIGITRAIN_THREADS, else os.availableParallelism(). 1 = no workers. */
  threads?: number;
  /** Use the WASM SIMD kernel if built (default true); false forces the TypeScript kernel. */
  wasm?: boolean;
  minParallelFlops?: number;
  /** A task with no progress for this long fails instead of hanging. */
  stallTimeoutMs?: number;
  /** How long a worker spins for the next task before sleeping. */
  spinMicros?: number;
}

export class ParallelPool {
  readonly threads: number;
  readonly kernel: 'wasm' | 'typescript';
  readonly minParallelFlops: number;
  private readonly stallTimeoutMs: number;
  private readonly spinMicros: number;
  private readonly module: WasmModule | null;
  private readonly staging: StagingArea;
  private readonly local: BlockKernel;
  private readonly control = createControlBlock();
  private readonly ctrl = controlInts(this.control);
  private workers: Worker[] = [];
  private started: Promise<void> | null = null;
  private seq = 0;
  private failure: Error | null = null;
  private closed = false;

  constructor(options: ParallelOptions = {}) {
    const threads = options.threads ?? threadsFromEnv() ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new Error(`parallel pool: threads must be an integer from 1 to 256, got ${threads}`);
    }
    this.threads = threads;
    this.minParallelFlops = options.minParallelFlops ?? DEFAULT_MIN_PARALLEL_FLOPS;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 5000;
    this.spinMicros = options.spinMicros ?? 300;
    this.module = options.wasm === false ? null : loadWasmModule();
    this.kernel = this.module ? 'wasm' : 'typescript';
    const memory = createGemmMemory();
    if (this.module) {
      const gemm = instantiateGemm(this.module, memory);
      this.staging = new StagingArea(memory, gemm.scratchBytes(), threads);
      this.local = wasmBlockKernel(gemm, this.staging.scratch(0));
    } else {
      this.staging = new StagingArea(memory, 0, threads);
      this.local = tsBlockKernel(memory);
    }
  }

  /** The `MatmulKernel` to install with setMatmulBackend. */
  readonly matmul = (args: MatmulArgs): void => this.run(args);

  /** Workers started so far (they start on the first matmul big enough to share). */
  get workerCount(): number {
    return this.workers.length;
  }

  run(args: MatmulArgs): void {
    if (this.closed) throw new Error('parallel pool: used after shutdown');
    if (this.failure) throw this.failure;
    if (Atomics.load(this.ctrl, Slot.DEAD) !== 0) this.raise('parallel pool: a worker thread has died');
    checkOperands(args);
    const { m, k, n } = args;
    const flops = 2 * m * n * k;
    if (flops < MIN_WASM_FLOPS) return matmulBlocked(args);
    const at = this.staging.stage(args);
    this.compute(at.a, at.b, at.c, m, k, n, args.transA, args.transB, !!args.accumulate);
    this.staging.readBack(args, at);
  }

  /** The WASM module and the staging area, for kernels that work in the shared memory (convolution); null on the TypeScript kernel. */
  get wasm(): { module: WasmModule; staging: StagingArea } | null {
    return this.module ? { module: this.module, staging: this.staging } : null;
  }

  /**
   * C = op(A)·op(B) (or C += with `accumulate`) on operands already in the shared memory, at
   * byte offsets from `staging.reserve` — no copies in or out. Shared with the workers as run() is.
   */
  gemmInMemory(a: number, b: number, c: number, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    if (this.closed) throw new Error('parallel pool: used after shutdown');
    if (this.failure) throw this.failure;
    if (Atomics.load(this.ctrl, Slot.DEAD) !== 0) this.raise('parallel pool: a worker thread has died');
    this.compute(a, b, c, m, k, n, transA, transB, accumulate);
  }

  private compute(a: number, b: number, c: number, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    const alone = this.threads === 1 || 2 * m * n * k < this.minParallelFlops;
    const split = alone ? { splitRows: true, band: Math.max(m, 1), blocks: 1 } : planSplit(m, k, n, this.threads);
    // Spelled out: object spread costs microseconds here, more than a small matmul.
    const task: Task = {
      a, b, c, m, k, n, transA, transB, accumulate,
      splitRows: split.splitRows, band: split.band, blocks: split.blocks,
    };
    if (alone) {
      this.local(task, 0);
    } else {
      this.startWorkers();
      this.dispatch(task);
    }
  }

  /** Starts the workers now (instead of on the first big matmul) and resolves once all are running. */
  whenReady(): Promise<void> {
    this.startWorkers();
    return this.started ?? Promise.resolve();
  }

  /** Test hook: worker `index` (1-based) exits as soon as it claims its next block. */
  injectWorkerCrash(index: number): void {
    Atomics.store(this.ctrl, Slot.CRASH, index);
  }

  /** Test hook: the next block worker `index` (1-based) claims throws instead of computing. */
  injectWorkerError(index: number): void {
    Atomics.store(this.ctrl, Slot.THROW, index);
  }

  /** Stops the workers; resolves when their threads have exited. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, Slot.OP, Op.STOP);
    Atomics.add(this.ctrl, Slot.SEQ, 1);
    Atomics.notify(this.ctrl, Slot.SEQ);
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private startWorkers(): void {
    if (this.workers.length > 0 || this.threads === 1 || this.closed) return;
    const ready: Promise<void>[] = [];
    for (let index = 1; index < this.threads; index++) {
      const workerData: PoolWorkerData = {
        control: this.control,
        memory: this.staging.memory,
        module: this.module,
        index,
        scratch: this.staging.scratch(index),
        spinMicros: this.spinMicros,
      };
      const worker = spawnWorker(new URL('./poolWorker.js', import.meta.url), { workerData });
      worker.unref();
      worker.on('error', (err) => this.fail(`parallel pool: worker ${index} failed: ${err.message}`));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(`parallel pool: worker ${index} exited (code ${code})`);
      });
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('exit', () => reject(this.failure ?? new Error(`parallel pool: worker ${index} exited`)));
        }),
      );
      this.workers.push(worker);
    }
    this.started = Promise.all(ready).then(() => undefined);
    this.started.catch(() => undefined); // surfaced by run(); whenReady() callers see it too
  }

  private fail(message: string): void {
    this.failure ??= new Error(message);
  }

  private dispatch(task: Task): void {
    const ctrl = this.ctrl;
    const seq = ++this.seq;
    const gen = seq & GEN_MASK;
    Atomics.store(ctrl, Slot.CLAIM, gen << BLOCK_BITS);
    writeTask(ctrl, task);
    Atomics.store(ctrl, Slot.DONE, 0);
    Atomics.store(ctrl, Slot.SEQ, seq);
    Atomics.notify(ctrl, Slot.SEQ);
    // Work alongside the workers; a slow or late worker simply claims fewer blocks.
    for (let block; (block = claimBlock(ctrl, gen, task.blocks)) >= 0; ) {
      this.local(task, block);
      finishBlock(ctrl, task.blocks);
    }
    this.awaitBlocks(task.blocks);
  }

  private awaitBlocks(blocks: number): void {
    const ctrl = this.ctrl;
    let done = Atomics.load(ctrl, Slot.DONE);
    let progressAt = performance.now();
    for (let spins = 0; done < blocks; spins++) {
      if (Atomics.load(ctrl, Slot.ERROR) !== 0) this.raise(readErrorText(this.control));
      if (Atomics.load(ctrl, Slot.DEAD) !== 0) this.raise('parallel pool: a worker thread died during a matmul');
      // Spin briefly (a worker finishing its share usually lands within microseconds),
      // then sleep in short slices so the checks above keep running.
      if (spins > 2000) Atomics.wait(ctrl, Slot.DONE, done, 20);
      const now = performance.now();
      const next = Atomics.load(ctrl, Slot.DONE);
      if (next !== done) {
        done = next;
        progressAt = now;
      } else if (now - progressAt > this.stallTimeoutMs) {
        this.raise(`parallel pool: no progress for ${this.stallTimeoutMs} ms (${done} of ${blocks} blocks done); a worker has stopped`);
      }
    }
    if (Atomics.load(ctrl, Slot.ERROR) !== 0) this.raise(readErrorText(this.control));
  }

  private raise(message: string): never {
    this.fail(message);
    throw this.failure;
  }
}

function threadsFromEnv(): number | undefined {
  const text = process.env.DIGITRAIN_THREADS;
  return text === undefined || text === '' ? undefined : Number(text);
}

function checkSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new Error(`matmul: ${name} must be a non-negative integer, got ${v}`);
}

function checkOperands(args: MatmulArgs): void {
  const { a, b, c, m, k, n } = args;
  checkSize('m', m);
  checkSize('k', k);
  checkSize('n', n);
  if (a.length < m * k) throw new Error(`matmul: A has ${a.length} elements, needs ${m}×${k}`);
  if (b.length < k * n) throw new Error(`matmul: B has ${b.length} elements, needs ${k}×${n}`);
  if (c.length < m * n) throw new Error(`matmul: C has ${c.length} elements, needs ${m}×${n}`);
}
