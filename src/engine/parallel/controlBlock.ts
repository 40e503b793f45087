// The pool's control block: a small Int32Array in a SharedArrayBuffer through which the
// calling thread hands out a task and workers claim blocks of it. Nothing else crosses
// between threads per call: the operands are already in the shared WASM memory.
//
// A task (OP) is one matmul C = act(op(A)·op(B) (+ C) + bias), blocks being bands of rows or
// columns of C; or one optimizer update over a parameter (Adam: p, g, m, v in A, B, C, D;
// SGD: p, g, buffer in A, B, C), blocks being ranges of BAND elements out of N, with the
// hyper-parameters in the float slots; or one convolution pass (parallel/convBlock.ts), blocks
// being groups of samples of the batch, with its parameters in the ConvSlot area; or one pass
// of a CNN's ReLU or max pooling (parallel/mapBlock.ts), blocks being ranges of elements or of
// planes, a pooling's geometry in the MapSlot area.
//
// Protocol for one task (generation g = seq & GEN_MASK):
//  1. caller: CLAIM ← g << BLOCK_BITS (so a worker still holding the previous task's
//     parameters cannot claim anything), writes the parameters, DONE ← 0, SEQ ← seq, notify.
//  2. every thread, caller included: CAS CLAIM from (g, b) to (g, b+1) to own block b;
//     computes it; DONE += 1 (the last one notifies).
//  3. caller waits until DONE = BLOCKS, watching ERROR, DEAD and progress.

export const Slot = {
  SEQ: 0,
  CLAIM: 1,
  DONE: 2,
  BLOCKS: 3,
  OP: 4,
  /** 0, or the index of the worker whose block threw (message in the text area). Workers are numbered from 1. */
  ERROR: 5,
  /** Number of workers whose thread has exited. */
  DEAD: 6,
  /** Fault injection for tests: index of a worker that exits when it claims its next block (0: none). */
  CRASH: 7,
  A: 8,
  B: 9,
  C: 10,
  M: 11,
  K: 12,
  N: 13,
  TRANS_A: 14,
  TRANS_B: 15,
  ACCUMULATE: 16,
  /** 1: blocks are bands of rows of C; 0: bands of columns. */
  SPLIT_ROWS: 17,
  /** Rows (or columns) per block. */
  BAND: 18,
  /** Fault injection for tests: index of a worker whose next block throws (0: none). */
  THROW: 19,
  /** Byte offset of a bias added to every row of C in the epilogue (0: none). */
  BIAS: 20,
  /** Activation applied in the epilogue (kernels/fusedActivation.ts ACTIVATION_CODE). */
  ACT: 21,
  /** The fourth operand of an update (Adam's exp_avg_sq). */
  D: 22,
  /** SGD: 1 when Nesterov, 2 when it is the first step (bits). */
  FLAGS: 23,
  /** Fault injection for tests: index of a worker that sleeps DELAY_MS before its next block (0: none). */
  DELAY: 24,
  DELAY_MS: 25,
} as const;

/** Float slots (a Float32Array after the ints): an update's hyper-parameters. */
export const FloatSlot = { F0: 0, F1: 1, F2: 2, F3: 3, F4: 4, F5: 5, F6: 6, F7: 7 } as const;

export const Op = {
  MATMUL: 0,
  STOP: 1,
  ADAM: 2,
  SGD: 3,
  CONV_FORWARD: 4,
  CONV_BACKWARD: 5,
  // RELU … MAX_POOL_GRAD_WRITE stay consecutive: mapBlock.ts isMapOp tests the range.
  RELU: 6,
  RELU_GRAD: 7,
  RELU_GRAD_WRITE: 8,
  MAX_POOL: 9,
  MAX_POOL_GRAD_WRITE: 10,
} as const;

/** A convolution task's parameters, after the matmul's (byte offsets into the memory, sizes in floats). */
export const ConvSlot = {
  X: 32,
  W: 33,
  /** Forward: the bias (0: none). */
  BIAS: 34,
  /** Forward: y; backward: the output's gradient. */
  OUT: 35,
  /** Backward: the input gradient to add to (0: none). */
  GX: 36,
  /** Backward: the groups' weight-gradient sums, [groups, O, C·kH·kW] (0: no weight gradient). */
  SUMS: 37,
  /** Each thread's temporaries start at SCRATCH + thread · SCRATCH_STRIDE. */
  SCRATCH: 38,
  SCRATCH_STRIDE: 39,
  O: 40,
  /** Samples a slice holds at most (the groups are the blocks). */
  SLICE: 41,
  /** The geometry, ConvDims order: n, c, h, w, kH, kW, sH, sW, pH, pW, oH, oW. */
  DIMS: 42,
} as const;

/** A ReLU or max-pooling task's parameters, after the convolution's. */
export const MapSlot = {
  /** MAX_POOL: h, w, kH, kW, sH, sW, pH, pW, oH, oW; MAX_POOL_GRAD_WRITE: outPlane, inPlane (floats a plane). */
  DIMS: 54,
} as const;

const INTS = 64;
const FLOATS = 8;
const TEXT_BYTES = 2048;
const TEXT_AT = (INTS + FLOATS) * 4;
// CLAIM packs (generation, next block) into one int32 so a single CAS checks both. Blocks
// per task stay under 2^11 (planSplit makes one per thread, threads ≤ 256); the
// generation's 20 bits wrap only after a million tasks, far beyond any stall of a worker
// between reading a task and claiming from it.
export const BLOCK_BITS = 11;
export const BLOCK_MASK = (1 << BLOCK_BITS) - 1;
export const GEN_MASK = (1 << 20) - 1; // gen << 11 stays a positive int32

export function createControlBlock(): SharedArrayBuffer {
  return new SharedArrayBuffer(TEXT_AT + TEXT_BYTES);
}

export function controlInts(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer, 0, INTS);
}

export function controlFloats(buffer: SharedArrayBuffer): Float32Array {
  return new Float32Array(buffer, INTS * 4, FLOATS);
}

/** An optimizer update over one parameter of `n` floats, cut into ranges of `band`. */
export interface UpdateTask {
  p: number;
  g: number;
  /** Adam's exp_avg, SGD's momentum buffer (0: none). */
  m: number;
  /** Adam's exp_avg_sq. */
  v: number;
  n: number;
  band: number;
  blocks: number;
}

export function readUpdateTask(ctrl: Int32Array): UpdateTask {
  return { p: ctrl[Slot.A], g: ctrl[Slot.B], m: ctrl[Slot.C], v: ctrl[Slot.D], n: ctrl[Slot.N], band: ctrl[Slot.BAND], blocks: ctrl[Slot.BLOCKS] };
}

export function writeUpdateTask(ctrl: Int32Array, t: UpdateTask): void {
  ctrl[Slot.A] = t.p;
  ctrl[Slot.B] = t.g;
  ctrl[Slot.C] = t.m;
  ctrl[Slot.D] = t.v;
  ctrl[Slot.N] = t.n;
  ctrl[Slot.BAND] = t.band;
  ctrl[Slot.BLOCKS] = t.blocks;
}

/** One convolution pass over the batch, cut as kernels/conv.ts convPlan cuts it. */
export interface ConvTask {
  x: number;
  w: number;
  bias: number;
  out: number;
  gx: number;
  sums: number;
  scratch: number;
  scratchStride: number;
  o: number;
  /** Samples a slice holds at most. */
  slice: number;
  /** Groups of samples: the task's blocks. */
  blocks: number;
  dims: Int32Array;
}

export function newConvTask(): ConvTask {
  return { x: 0, w: 0, bias: 0, out: 0, gx: 0, sums: 0, scratch: 0, scratchStride: 0, o: 0, slice: 0, blocks: 0, dims: new Int32Array(12) };
}

export function readConvTask(ctrl: Int32Array, out: ConvTask = newConvTask()): ConvTask {
  out.x = ctrl[ConvSlot.X];
  out.w = ctrl[ConvSlot.W];
  out.bias = ctrl[ConvSlot.BIAS];
  out.out = ctrl[ConvSlot.OUT];
  out.gx = ctrl[ConvSlot.GX];
  out.sums = ctrl[ConvSlot.SUMS];
  out.scratch = ctrl[ConvSlot.SCRATCH];
  out.scratchStride = ctrl[ConvSlot.SCRATCH_STRIDE];
  out.o = ctrl[ConvSlot.O];
  out.slice = ctrl[ConvSlot.SLICE];
  out.blocks = ctrl[Slot.BLOCKS];
  out.dims.set(ctrl.subarray(ConvSlot.DIMS, ConvSlot.DIMS + 12));
  return out;
}

export function writeConvTask(ctrl: Int32Array, t: ConvTask): void {
  ctrl[ConvSlot.X] = t.x;
  ctrl[ConvSlot.W] = t.w;
  ctrl[ConvSlot.BIAS] = t.bias;
  ctrl[ConvSlot.OUT] = t.out;
  ctrl[ConvSlot.GX] = t.gx;
  ctrl[ConvSlot.SUMS] = t.sums;
  ctrl[ConvSlot.SCRATCH] = t.scratch;
  ctrl[ConvSlot.SCRATCH_STRIDE] = t.scratchStride;
  ctrl[ConvSlot.O] = t.o;
  ctrl[ConvSlot.SLICE] = t.slice;
  ctrl[Slot.BLOCKS] = t.blocks;
  ctrl.set(t.dims, ConvSlot.DIMS);
}

/**
 * One pass of ReLU or max pooling over operands in the memory (whole tensors, byte offsets):
 * RELU x, out; RELU_GRAD and RELU_GRAD_WRITE g, y, dx; MAX_POOL x, out, argmax;
 * MAX_POOL_GRAD_WRITE g, argmax, dx. `n` units (elements, or planes for pooling), `band` per block.
 */
export interface MapTask {
  a: number;
  b: number;
  c: number;
  n: number;
  band: number;
  blocks: number;
  /** A pooling's sizes (MapSlot.DIMS). */
  dims: Int32Array;
}

export function newMapTask(): MapTask {
  return { a: 0, b: 0, c: 0, n: 0, band: 0, blocks: 0, dims: new Int32Array(10) };
}

export function readMapTask(ctrl: Int32Array, out: MapTask = newMapTask()): MapTask {
  out.a = ctrl[Slot.A];
  out.b = ctrl[Slot.B];
  out.c = ctrl[Slot.C];
  out.n = ctrl[Slot.N];
  out.band = ctrl[Slot.BAND];
  out.blocks = ctrl[Slot.BLOCKS];
  out.dims.set(ctrl.subarray(MapSlot.DIMS, MapSlot.DIMS + 10));
  return out;
}

export function writeMapTask(ctrl: Int32Array, t: MapTask): void {
  ctrl[Slot.A] = t.a;
  ctrl[Slot.B] = t.b;
  ctrl[Slot.C] = t.c;
  ctrl[Slot.N] = t.n;
  ctrl[Slot.BAND] = t.band;
  ctrl[Slot.BLOCKS] = t.blocks;
  ctrl.set(t.dims, MapSlot.DIMS);
}

export interface Task {
  a: number;
  b: number;
  c: number;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  splitRows: boolean;
  band: number;
  blocks: number;
  bias: number;
  act: number;
}

export function readTask(ctrl: Int32Array): Task {
  return {
    a: ctrl[Slot.A],
    b: ctrl[Slot.B],
    c: ctrl[Slot.C],
    m: ctrl[Slot.M],
    k: ctrl[Slot.K],
    n: ctrl[Slot.N],
    transA: ctrl[Slot.TRANS_A] === 1,
    transB: ctrl[Slot.TRANS_B] === 1,
    accumulate: ctrl[Slot.ACCUMULATE] === 1,
    splitRows: ctrl[Slot.SPLIT_ROWS] === 1,
    band: ctrl[Slot.BAND],
    blocks: ctrl[Slot.BLOCKS],
    bias: ctrl[Slot.BIAS],
    act: ctrl[Slot.ACT],
  };
}

export function writeTask(ctrl: Int32Array, t: Task): void {
  ctrl[Slot.A] = t.a;
  ctrl[Slot.B] = t.b;
  ctrl[Slot.C] = t.c;
  ctrl[Slot.M] = t.m;
  ctrl[Slot.K] = t.k;
  ctrl[Slot.N] = t.n;
  ctrl[Slot.TRANS_A] = +t.transA;
  ctrl[Slot.TRANS_B] = +t.transB;
  ctrl[Slot.ACCUMULATE] = +t.accumulate;
  ctrl[Slot.SPLIT_ROWS] = +t.splitRows;
  ctrl[Slot.BAND] = t.band;
  ctrl[Slot.BLOCKS] = t.blocks;
  ctrl[Slot.BIAS] = t.bias;
  ctrl[Slot.ACT] = t.act;
}

/** Claims the next block of generation `gen`, or returns -1 when none is left (or the task moved on). */
export function claimBlock(ctrl: Int32Array, gen: number, blocks: number): number {
  for (;;) {
    const v = Atomics.load(ctrl, Slot.CLAIM);
    if (v >>> BLOCK_BITS !== gen) return -1;
    const block = v & BLOCK_MASK;
    if (block >= blocks) return -1;
    if (Atomics.compareExchange(ctrl, Slot.CLAIM, v, v + 1) === v) return block;
  }
}

/** Counts a finished block; the thread finishing the last one wakes the caller. */
export function finishBlock(ctrl: Int32Array, blocks: number): void {
  if (Atomics.add(ctrl, Slot.DONE, 1) + 1 === blocks) Atomics.notify(ctrl, Slot.DONE);
}

export function writeErrorText(buffer: SharedArrayBuffer, text: string): void {
  const bytes = new TextEncoder().encode(text).subarray(0, TEXT_BYTES - 4);
  const area = new Uint8Array(buffer, TEXT_AT, TEXT_BYTES);
  area.fill(0);
  area.set(bytes);
}

export function readErrorText(buffer: SharedArrayBuffer): string {
  const area = new Uint8Array(buffer, TEXT_AT, TEXT_BYTES);
  const end = area.indexOf(0);
  // TextDecoder refuses views of shared memory: copy first.
  return new TextDecoder().decode(area.slice(0, end < 0 ? TEXT_BYTES : end));
}
