// The worker pool behind the parallel matmul, the convolutions, the optimizer updates of large
// parameters, and a CNN's ReLU and max pooling.
//
// The thread's WASM memory (parallel/runtime.ts) holds every thread's scratch and the
// operands: tensors that live there are used in place; any other operand is copied in by
// the calling thread (and C copied back out). Every thread computes its blocks of C in
// place. Dispatch is a few Atomics on a control block (controlBlock.ts); no array is ever
// posted or cloned per call.
//
// The calling thread takes blocks too and then waits in Atomics.wait. 'exit' events cannot
// reach it while it waits, so a dying worker says so through the control block (DEAD), a
// throwing block through ERROR, and a worker that vanishes silently (terminated mid-task)
// is caught by the stall timeout. Any of these fails the call with an Error and marks the
// pool broken; `shutdownParallel()` + `enableParallel()` start afresh.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ACTIVATION_CODE, type Activation } from '../kernels/fusedActivation';
import type { MatmulArgs } from '../kernels/matmul';
import type { PoolGeometry } from '../kernels/pool';
import { matmulBlocked } from '../kernels/matmulBlocked';
import { Staging, type EngineMemory } from '../kernels/wasm/engineMemory';
import type { WasmModule } from '../kernels/wasm/wasmApi';
import { runUpdateBlock, tsBlockKernel, wasmBlockKernel, type BlockKernel } from './blockKernel';
import type { KernelExports } from '../kernels/wasm/kernelExports';
import {
  claimBlock,
  controlFloats,
  controlInts,
  createControlBlock,
  finishBlock,
  newConvTask,
  newMapTask,
  GEN_MASK,
  BLOCK_BITS,
  Op,
  readErrorText,
  Slot,
  writeConvTask,
  writeMapTask,
  writeTask,
  writeUpdateTask,
  type ConvTask,
  type MapTask,
  type Task,
  type UpdateTask,
} from './controlBlock';
import { convGroupSamples, runConvBlock } from './convBlock';
import { isMapOp, runMapBlock } from './mapBlock';
import type { PoolWorkerData } from './poolWorker';
import { spawnWorker } from './spawnWorker';
import { threadMemory, threadRuntime } from './runtime';
import { planSplit } from './splitWork';
import { spanRecorder } from '../profile';

/**
 * Below this many FLOPs (2·m·n·k) a matmul stays on the calling thread. Sharing saves half
 * the kernel time (~20 µs per MFLOP at ~48 GFLOPS) but costs a dispatch (~2 µs), the
 * worker's wake-up (near zero while it still spins after the previous task, ~20–50 µs from
 * Atomics.wait) and a second core that the UI may need. The reference MLP's layers are
 * 3.7 MFLOP at batch 32 (after Linear drops the zero pixel columns) and ~36 MFLOP at 256.
 * Whole training steps, interleaved, on the shared 2-core machine (load 2–5): at batch 32,
 * 1 thread 2522 steps/s, 2 threads with this threshold 2534, with 4 MFLOP (sharing the
 * batch-32 layers) no better and worse under load; at batch 256, 448 vs 509. So the batch-32
 * layers stay on the calling thread and the batch-256 ones and up are shared.
 * `npm run bench -- --threshold` times single matmuls.
 */
export const DEFAULT_MIN_PARALLEL_FLOPS = 16_000_000;
/** Parameters with fewer elements than this are updated on the calling thread (an update moves
 * ~16 bytes per element and costs ~0.7 ns per element; a dispatch a few µs). */
const MIN_PARALLEL_UPDATE = 32_768;
/**
 * Sharing a task pays only when a worker runs alongside the caller. On a machine with no core
 * to spare it does not: a worker that has claimed a block may not run for milliseconds (the
 * scheduler gave its time to another process), or both threads crawl at half speed sharing
 * one core. So after each shared task the caller compares its wall time with what it would
 * have taken alone (its own time per block × all blocks; per sample for a convolution); when sharing saved less than a
 * tenth, the pool runs every task on the calling thread alone for a while (the results are
 * the same bits either way): twice as long after each such task, up to BACKOFF_MAX_MS, a
 * tenth less after each one that paid. Measured at batch 32 with the machine's load at 5 on
 * 2 cores: 1 thread 2291 steps/s, 2 threads without this 1400–1600 (and 3900–4100 in the
 * minutes a core was free).
 * Only a task the workers should have been awake for is judged (one within spinMicros of the
 * last shared task): a sleeping worker on an idle core of this VM took longer to wake than a
 * block of the batch-256 layers takes (~0.3 ms), the caller did every block, that read as a
 * busy machine, and the backoff fed itself — batch 256 on 2 threads ran at 1.04 cores,
 * 490 steps/s against 676 with every task shared.
 */
const SHARING_MUST_SAVE = 0.1;
const BACKOFF_MIN_MS = 10;
const BACKOFF_MAX_MS = 1000;
/**
 * A ReLU or max-pooling pass over fewer floats than this stays on the calling thread. These run
 * at ~1–3 ns a float here (the cnn preset's first ReLU at batch 32, 200 K floats, ~0.07 ms), so
 * from this size on a thread's half saves more than the dispatch to a worker that still spins.
 */
const MIN_PARALLEL_MAP = 65_536;
/** Below this many FLOPs the copy into WASM memory does not pay: plain TypeScript loops for
 * operands that are not there already. (Measured: the two tie at ~256 FLOPs, 0.25 µs; at 4 kFLOP
 * WASM takes 0.4 µs, TypeScript 1.1.) */
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
  /** Run tasks on the calling thread alone for a while after sharing one did not pay (default true; see SHARING_MUST_SAVE). */
  backoff?: boolean;
  /**
   * The clock (ms) the sharing decisions read: whether a task paid, how long tasks then run
   * alone, whether the workers still spin. Default performance.now(); tests drive it. (The
   * stall timeout always reads the real clock: it is about a worker that really stopped.)
   */
  now?: () => number;
}

export class ParallelPool {
  readonly threads: number;
  readonly kernel: 'wasm' | 'typescript';
  readonly minParallelFlops: number;
  private readonly stallTimeoutMs: number;
  private readonly spinMicros: number;
  private readonly backoff: boolean;
  private readonly now: () => number;
  private readonly module: WasmModule | null;
  private readonly memory: EngineMemory;
  /** Each thread's scratch block (packed panels), by thread index; empty for the TypeScript kernel. */
  private readonly scratch: number[];
  /** Where a call's operands that are not in the memory are copied to (kernels that work in the memory share it). */
  readonly staging: Staging;
  private readonly local: BlockKernel;
  /** The one task object, refilled per call (no garbage per matmul). */
  private readonly task: Task = {
    a: 0,
    b: 0,
    c: 0,
    m: 0,
    k: 0,
    n: 0,
    transA: false,
    transB: false,
    accumulate: false,
    splitRows: true,
    band: 0,
    blocks: 0,
    bias: 0,
    act: 0,
  };
  private readonly control = createControlBlock();
  private readonly ctrl = controlInts(this.control);
  private readonly floats = controlFloats(this.control);
  /** This thread's WASM kernels (null for the TypeScript kernel). */
  private readonly wasm: KernelExports | null;
  private readonly update: UpdateTask = { p: 0, g: 0, m: 0, v: 0, n: 0, band: 0, blocks: 0 };
  /** The convolution task runConv runs: filled in by the caller (parallel/poolConv.ts). */
  readonly convTask: ConvTask = newConvTask();
  /** The ReLU or pooling task runMap runs. */
  private readonly map: MapTask = newMapTask();
  private workers: Worker[] = [];
  private started: Promise<void> | null = null;
  private seq = 0;
  /** Until this time (the pool's clock) every task runs on the calling thread alone (see SHARING_MUST_SAVE). */
  private aloneUntil = 0;
  private backoffMs = BACKOFF_MIN_MS;
  /** When the last shared task other than an update ended (a matmul, a convolution, a ReLU or a pooling): workers spin for spinMicros after a task, then sleep. */
  private lastComputeSharedAt = -Infinity;
  /** When the last shared task of any kind ended (the workers spin for spinMicros after it). */
  private lastSharedAt = -Infinity;
  private shared = 0;
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
    this.backoff = options.backoff ?? true;
    this.now = options.now ?? (() => performance.now());
    const runtime = options.wasm === false ? null : threadRuntime();
    this.module = runtime?.module ?? null;
    this.kernel = runtime ? 'wasm' : 'typescript';
    this.memory = runtime?.memory ?? threadMemory();
    this.staging = new Staging(this.memory);
    this.wasm = runtime?.kernels ?? null;
    if (runtime) {
      const bytes = runtime.kernels.scratchBytes();
      this.scratch = [];
      try {
        for (let i = 0; i < threads; i++) this.scratch.push(this.memory.alloc(bytes));
      } catch (err) {
        for (const offset of this.scratch.splice(0)) this.memory.free(offset);
        throw err;
      }
      this.local = wasmBlockKernel(runtime.kernels, this.scratch[0]);
    } else {
      this.scratch = [];
      this.local = tsBlockKernel(this.memory.memory);
    }
  }

  /** The `MatmulKernel` to install with setMatmulBackend. */
  readonly matmul = (args: MatmulArgs): void => this.run(args);

  /** Tasks shared with the workers so far (the others ran on the calling thread alone). */
  get sharedTaskCount(): number {
    return this.shared;
  }

  /** Until this time (the pool's clock) every task runs on the calling thread alone; 0 when sharing never stopped. */
  get sharingPausedUntil(): number {
    return this.aloneUntil;
  }

  /** Workers started so far (they start on the first matmul big enough to share). */
  get workerCount(): number {
    return this.workers.length;
  }

  run(args: MatmulArgs): void {
    this.checkUsable();
    checkOperands(args);
    const { a, b, c, m, k, n } = args;
    const accumulate = !!args.accumulate;
    const staging = this.staging;
    const staged = staging.bytesFor(a, m * k) + staging.bytesFor(b, k * n) + staging.bytesFor(c, m * n);
    if (staged > 0 && 2 * m * n * k < MIN_WASM_FLOPS) return matmulBlocked(args);
    staging.begin(staged);
    const pa = staging.place(a, m * k, true);
    const pb = staging.place(b, k * n, true);
    const pc = staging.place(c, m * n, accumulate);
    this.compute(pa, pb, pc, m, k, n, args.transA, args.transB, accumulate, 0, 0);
    staging.readBack(c, m * n, pc);
  }

  /**
   * y = act(x·wᵀ + bias) (Linear's forward, w stored [n, k]) on operands that live in the
   * WASM memory, with the bias and activation applied as each block of y is stored.
   */
  readonly linear = (x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, m: number, k: number, n: number, activation: Activation): void => {
    this.checkUsable();
    this.compute(x.byteOffset, w.byteOffset, y.byteOffset, m, k, n, false, true, false, bias ? bias.byteOffset : 0, ACTIVATION_CODE[activation]);
  };

  /**
   * C = op(A)·op(B) (or C += with `accumulate`) on operands at byte offsets in the WASM memory:
   * no copies in or out; shared with the workers as run() is. For kernels that chain several
   * steps in the memory (convolution).
   */
  gemmInMemory(a: number, b: number, c: number, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    this.checkUsable();
    this.compute(a, b, c, m, k, n, transA, transB, accumulate, 0, 0);
  }

  /**
   * One convolution pass (Op.CONV_FORWARD or Op.CONV_BACKWARD) whose parameters are in
   * `convTask`, operands in the memory: its groups shared with the workers when the pass is big
   * enough (`flops`, its products' work) and sharing pays, else all run on this thread.
   */
  runConv(op: number, flops: number): void {
    this.checkUsable();
    if (!this.wasm) throw new Error('parallel pool: convolutions need the WASM kernels');
    const t = this.convTask;
    if (this.threads === 1 || t.blocks === 1 || flops < this.minParallelFlops / 4 || !this.sharing()) {
      for (let block = 0; block < t.blocks; block++) runConvBlock(this.wasm, this.scratch[0], op, t, block, 0);
      return;
    }
    this.startWorkers();
    this.dispatch(op, t.blocks, this.writeConv);
  }

  /** out = max(x, 0) (kernels/fused.ts relu) on operands in the memory. */
  relu(x: Float32Array, out: Float32Array): void {
    this.runElementwise(Op.RELU, x, out, null);
  }

  /** dx += g where y > 0 (kernels/fused.ts reluGrad) on operands in the memory. */
  reluGrad(g: Float32Array, y: Float32Array, dx: Float32Array): void {
    this.runElementwise(Op.RELU_GRAD, g, y, dx);
  }

  /** dx = g where y > 0, else +0 (kernels/fused.ts reluGradWrite) on operands in the memory. */
  reluGradWrite(g: Float32Array, y: Float32Array, dx: Float32Array): void {
    this.runElementwise(Op.RELU_GRAD_WRITE, g, y, dx);
  }

  /** Max pooling (kernels/fused.ts maxPool) on operands in the memory, shared by planes. */
  maxPool(x: Float32Array, g: PoolGeometry, out: Float32Array, argmax: Int32Array): void {
    const t = this.map;
    t.a = x.byteOffset;
    t.b = out.byteOffset;
    t.c = argmax.byteOffset;
    const d = t.dims; // MapSlot.DIMS order, written one by one: no array per call
    d[0] = g.h;
    d[1] = g.w;
    d[2] = g.kH;
    d[3] = g.kW;
    d[4] = g.sH;
    d[5] = g.sW;
    d[6] = g.pH;
    d[7] = g.pW;
    d[8] = g.oH;
    d[9] = g.oW;
    this.runPlanes(Op.MAX_POOL, g.planes, g.h * g.w);
  }

  /** maxPoolGradWrite (kernels/fused.ts) on operands in the memory, shared by planes. */
  maxPoolGradWrite(grad: Float32Array, argmax: Int32Array, planes: number, inPlane: number, dx: Float32Array): void {
    const t = this.map;
    t.a = grad.byteOffset;
    t.b = argmax.byteOffset;
    t.c = dx.byteOffset;
    t.dims[0] = grad.length / planes;
    t.dims[1] = inPlane;
    this.runPlanes(Op.MAX_POOL_GRAD_WRITE, planes, inPlane);
  }

  /** A ReLU pass: ranges of whole cache lines, two per thread (cacheLineBand). */
  private runElementwise(op: number, a: Float32Array, b: Float32Array, c: Float32Array | null): void {
    const t = this.map;
    t.a = a.byteOffset;
    t.b = b.byteOffset;
    t.c = c ? c.byteOffset : 0;
    t.n = a.length;
    t.band = this.cacheLineBand(t.n);
    this.runMap(op, t.n);
  }

  /** A pooling pass over `planes` input planes of `inPlane` floats: ranges of whole planes, two per thread. */
  private runPlanes(op: number, planes: number, inPlane: number): void {
    const t = this.map;
    t.n = planes;
    t.band = Math.max(1, Math.ceil(planes / (2 * this.threads)));
    this.runMap(op, planes * inPlane);
  }

  /**
   * Runs the map task filled in: shared only while the workers still spin after a convolution
   * (a CNN's ReLU and pooling sit between them), never waking a sleeping one for it (~20–50 µs,
   * a good part of such a pass), and only when it is big enough (MIN_PARALLEL_MAP).
   */
  private runMap(op: number, floats: number): void {
    this.checkUsable();
    if (!this.wasm) throw new Error('parallel pool: ReLU and pooling tasks need the WASM kernels');
    const t = this.map;
    if (this.threads === 1 || floats < MIN_PARALLEL_MAP || !this.workersAwake() || !this.sharing()) {
      t.band = Math.max(t.n, 1);
      t.blocks = 1;
      runMapBlock(this.wasm, op, t, 0);
      return;
    }
    t.blocks = Math.ceil(t.n / t.band);
    this.startWorkers();
    this.dispatch(op, t.blocks, this.writeMap);
  }

  private readonly writeMatmul = (ctrl: Int32Array): void => writeTask(ctrl, this.task);
  private readonly writeMap = (ctrl: Int32Array): void => writeMapTask(ctrl, this.map);
  private readonly writeConv = (ctrl: Int32Array): void => writeConvTask(ctrl, this.convTask);
  private readonly writeUpdate = (ctrl: Int32Array): void => writeUpdateTask(ctrl, this.update);

  /** Adam over one parameter whose p, g, m, v live in the memory (kernels/fused.ts `adam`). */
  readonly adam = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, beta1: number, beta2: number, stepSize: number, invC2: number, eps: number, weightDecay: number): void => {
    this.checkUsable();
    const f = this.floats;
    f[0] = beta1;
    f[1] = 1 - beta1; // rounded from the float64 difference, not taken from float32's beta (fused.as.ts)
    f[2] = beta2;
    f[3] = 1 - beta2;
    f[4] = stepSize;
    f[5] = invC2;
    f[6] = eps;
    f[7] = weightDecay;
    this.runUpdate(Op.ADAM, p, g, m.byteOffset, v.byteOffset, 0);
  };

  /** SGD over one parameter whose p, g (and momentum buffer) live in the memory (kernels/fused.ts `sgd`). */
  readonly sgd = (p: Float32Array, g: Float32Array, buf: Float32Array | null, lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean): void => {
    this.checkUsable();
    const f = this.floats;
    f[0] = lr;
    f[1] = momentum;
    f[2] = dampening;
    f[3] = weightDecay;
    this.runUpdate(Op.SGD, p, g, buf ? buf.byteOffset : 0, 0, (nesterov ? 1 : 0) | (first ? 2 : 0));
  };

  /** An update over one parameter: on this thread when small, else in ranges shared with the workers. */
  private runUpdate(op: number, p: Float32Array, g: Float32Array, m: number, v: number, flags: number): void {
    if (!this.wasm) throw new Error('parallel pool: optimizer updates need the WASM kernels');
    const u = this.update;
    u.p = p.byteOffset;
    u.g = g.byteOffset;
    u.m = m;
    u.v = v;
    u.n = p.length;
    this.ctrl[Slot.FLAGS] = flags;
    // Shared only while the workers still spin after a shared matmul: waking one from its sleep
    // takes longer (~20–50 µs) than its share of an update (~20 µs for l1.weight on two threads).
    if (this.threads === 1 || u.n < MIN_PARALLEL_UPDATE || !this.workersAwake() || !this.sharing()) {
      u.band = u.n;
      u.blocks = 1;
      runUpdateBlock(this.wasm, op, u, this.floats, flags, 0);
      return;
    }
    u.band = this.cacheLineBand(u.n);
    u.blocks = Math.ceil(u.n / u.band);
    this.startWorkers();
    this.dispatch(op, u.blocks, this.writeUpdate);
  }

  /** One matmul over byte offsets in the memory: on this thread alone, or shared with the workers. */
  private compute(a: number, b: number, c: number, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean, bias: number, act: number): void {
    const t = this.task;
    t.a = a;
    t.b = b;
    t.c = c;
    t.m = m;
    t.k = k;
    t.n = n;
    t.transA = transA;
    t.transB = transB;
    t.accumulate = accumulate;
    t.bias = bias;
    t.act = act;
    if (this.threads === 1 || 2 * m * n * k < this.minParallelFlops || !this.sharing()) {
      t.splitRows = true;
      t.band = Math.max(m, 1);
      t.blocks = 1;
      this.local(t, 0);
    } else {
      planSplit(m, n, this.threads, t);
      this.startWorkers();
      this.dispatch(Op.MATMUL, t.blocks, this.writeMatmul);
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

  /** Test hook: worker `index` (1-based) sleeps `ms` before computing the next block it claims (as if descheduled). */
  injectWorkerDelay(index: number, ms: number): void {
    Atomics.store(this.ctrl, Slot.DELAY_MS, ms);
    Atomics.store(this.ctrl, Slot.DELAY, index);
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
    // Only now: a worker may have been computing in its scratch until it stopped.
    for (const offset of this.scratch.splice(0)) this.memory.free(offset);
    this.staging.release();
  }

  private startWorkers(): void {
    if (this.workers.length > 0 || this.threads === 1 || this.closed) return;
    const ready: Promise<void>[] = [];
    for (let index = 1; index < this.threads; index++) {
      const workerData: PoolWorkerData = {
        control: this.control,
        memory: this.memory.memory,
        module: this.module,
        index,
        scratch: this.scratch[index] ?? 0,
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

  private checkUsable(): void {
    if (this.closed) throw new Error('parallel pool: used after shutdown');
    if (this.failure) throw this.failure;
    if (Atomics.load(this.ctrl, Slot.DEAD) !== 0) this.raise('parallel pool: a worker thread has died');
  }

  private fail(message: string): void {
    this.failure ??= new Error(message);
  }

  /** Publishes the task whose parameters are written (`op`, `blocks` of it) and works through it alongside the workers. */
  private dispatch(op: number, blocks: number, writeParameters: (ctrl: Int32Array) => void): void {
    const ctrl = this.ctrl;
    const seq = ++this.seq;
    const gen = seq & GEN_MASK;
    this.shared++;
    Atomics.store(ctrl, Slot.CLAIM, gen << BLOCK_BITS);
    writeParameters(ctrl);
    ctrl[Slot.OP] = op;
    Atomics.store(ctrl, Slot.DONE, 0);
    Atomics.store(ctrl, Slot.SEQ, seq);
    Atomics.notify(ctrl, Slot.SEQ);
    // Work alongside the workers; a slow or late worker simply claims fewer blocks.
    const flags = ctrl[Slot.FLAGS];
    const isUpdate = op === Op.ADAM || op === Op.SGD;
    const isConv = op === Op.CONV_FORWARD || op === Op.CONV_BACKWARD;
    const isMap = isMapOp(op);
    const start = this.now();
    const workersSpinning = start - this.lastSharedAt < this.spinMicros / 1000;
    // The caller's share of the work, to judge below what the task would have taken alone: blocks,
    // or for a convolution samples (its groups may differ by one).
    let mine = 0;
    for (let block; (block = claimBlock(ctrl, gen, blocks)) >= 0;) {
      if (op === Op.MATMUL) this.local(this.task, block);
      else if (isUpdate) runUpdateBlock(this.wasm!, op, this.update, this.floats, flags, block);
      else if (isMap) runMapBlock(this.wasm!, op, this.map, block);
      else runConvBlock(this.wasm!, this.scratch[0], op, this.convTask, block, 0);
      mine += isConv ? convGroupSamples(this.convTask, block) : 1;
      finishBlock(ctrl, blocks);
    }
    const worked = this.now();
    const rec = spanRecorder();
    rec?.begin('pool.wait');
    try {
      this.awaitBlocks(blocks);
    } finally {
      rec?.end();
    }
    const end = this.now();
    if (!isUpdate) this.lastComputeSharedAt = end;
    this.lastSharedAt = end;
    // A worker woken from its sleep may not make it in time on an idle machine either: no verdict.
    // Nor an optimizer update, a ReLU or a pooling: ~30–150 µs in all, a hiccup of a few µs reads as a worker held up.
    if (!this.backoff || mine === 0 || !workersSpinning || isUpdate || isMap) return;
    const alone = ((worked - start) / mine) * (isConv ? this.convTask.dims[0] : blocks);
    if (end - start > (1 - SHARING_MUST_SAVE) * alone) {
      this.aloneUntil = end + this.backoffMs;
      this.backoffMs = Math.min(2 * this.backoffMs, BACKOFF_MAX_MS);
    } else if (this.backoffMs > BACKOFF_MIN_MS) {
      this.backoffMs = Math.max(BACKOFF_MIN_MS, 0.9 * this.backoffMs);
    }
  }

  /**
   * Whether the workers still spin after the last shared matmul, convolution, ReLU or pooling, so
   * a small task can be shared without waking one. Updates do not count: at batch 32, where no
   * matmul is shared, a worker kept awake by each step's update would spin on a whole core to
   * save ~30 µs per step.
   */
  private workersAwake(): boolean {
    return this.now() - this.lastComputeSharedAt < this.spinMicros / 1000;
  }

  /** Elements per block of an element-wise task over `n`: two ranges per thread, each a whole number of cache lines (16 floats). */
  private cacheLineBand(n: number): number {
    return Math.max(16, Math.ceil(n / (2 * this.threads) / 16) * 16);
  }

  /** Whether tasks may be shared now (false for a while after a worker held the caller up). */
  private sharing(): boolean {
    return this.aloneUntil === 0 || this.now() >= this.aloneUntil;
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
