// A pool worker: waits for a task in the control block, claims blocks until none are
// left, computes them in the shared WASM memory, and goes back to waiting.
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateKernels } from '../kernels/wasm/kernelExports';
import type { WasmMemory, WasmModule } from '../kernels/wasm/wasmApi';
import { runUpdateBlock, tsBlockKernel, wasmBlockKernel } from './blockKernel';
import { claimBlock, controlFloats, controlInts, finishBlock, GEN_MASK, newConvTask, newMapTask, Op, readConvTask, readMapTask, readTask, readUpdateTask, Slot, writeErrorText } from './controlBlock';
import { runConvBlock } from './convBlock';
import { isMapOp, runMapBlock } from './mapBlock';

export interface PoolWorkerData {
  control: SharedArrayBuffer;
  memory: WasmMemory;
  module: WasmModule | null;
  /** 1-based: the calling thread is 0. */
  index: number;
  scratch: number;
  /** How long to spin for the next task before sleeping in Atomics.wait. */
  spinMicros: number;
}

const data = workerData as PoolWorkerData;
const ctrl = controlInts(data.control);
// Runs on process.exit() and uncaught errors in this thread, so the caller, which may be
// blocked in Atomics.wait where it cannot see the 'exit' event, learns of it at once.
process.on('exit', () => {
  Atomics.add(ctrl, Slot.DEAD, 1);
  Atomics.notify(ctrl, Slot.DONE);
});

const floats = controlFloats(data.control);
const wasm = data.module ? instantiateKernels(data.module, data.memory) : null;
const kernel = wasm ? wasmBlockKernel(wasm, data.scratch) : tsBlockKernel(data.memory);

const conv = newConvTask();
const map = newMapTask();

/** The block runner for the task just published (update, convolution, ReLU and pooling tasks come only to WASM pools). */
function taskRunner(op: number): { blocks: number; run: (block: number) => void } {
  if (op === Op.MATMUL || !wasm) {
    const task = readTask(ctrl);
    return { blocks: task.blocks, run: (block) => kernel(task, block) };
  }
  if (op === Op.CONV_FORWARD || op === Op.CONV_BACKWARD) {
    const task = readConvTask(ctrl, conv);
    return { blocks: task.blocks, run: (block) => runConvBlock(wasm, data.scratch, op, task, block, data.index) };
  }
  if (isMapOp(op)) {
    const task = readMapTask(ctrl, map);
    return { blocks: task.blocks, run: (block) => runMapBlock(wasm, op, task, block) };
  }
  const task = readUpdateTask(ctrl);
  const flags = ctrl[Slot.FLAGS];
  return { blocks: task.blocks, run: (block) => runUpdateBlock(wasm, op, task, floats, flags, block) };
}

function waitForTask(seen: number): number {
  const spinUntil = performance.now() + data.spinMicros / 1000;
  for (let i = 0; ; i++) {
    const seq = Atomics.load(ctrl, Slot.SEQ);
    if (seq !== seen) return seq;
    if ((i & 255) === 0 && performance.now() > spinUntil) break;
  }
  for (;;) {
    Atomics.wait(ctrl, Slot.SEQ, seen, 1000);
    const seq = Atomics.load(ctrl, Slot.SEQ);
    if (seq !== seen) return seq;
  }
}

parentPort?.postMessage('ready');

let seen = 0;
for (;;) {
  seen = waitForTask(seen);
  const op = Atomics.load(ctrl, Slot.OP);
  if (op === Op.STOP) break;
  const task = taskRunner(op);
  for (let block; (block = claimBlock(ctrl, seen & GEN_MASK, task.blocks)) >= 0;) {
    if (Atomics.load(ctrl, Slot.CRASH) === data.index) process.exit(70);
    try {
      if (Atomics.compareExchange(ctrl, Slot.THROW, data.index, 0) === data.index) throw new Error('injected fault');
      if (Atomics.compareExchange(ctrl, Slot.DELAY, data.index, 0) === data.index) {
        const ms = Atomics.load(ctrl, Slot.DELAY_MS);
        Atomics.wait(ctrl, Slot.DELAY_MS, ms, ms); // nobody notifies: sleeps the whole time
      }
      task.run(block);
    } catch (err) {
      writeErrorText(data.control, `pool worker ${data.index}: ${err instanceof Error ? err.message : String(err)}`);
      Atomics.compareExchange(ctrl, Slot.ERROR, 0, data.index);
    }
    finishBlock(ctrl, task.blocks);
  }
}
