// The fused kernels (kernels/fused.ts) on WASM SIMD, run in place: on the calling thread, or
// through the pool where it may share them (SharedKernels: the Linear forward, the optimizer
// updates, a CNN's ReLU and max pooling, each split into ranges that give the same bits).
// Each checks that its float operands live in the WASM memory (inside a step scope, for
// parameters and optimizer state, they do) and otherwise runs the TypeScript reference, so
// any caller gets a correct answer. Small integer operands (class indices, batch indices)
// are copied into the runtime's scratch block; a data set's pixels into the memory, once.
import { ACTIVATION_CODE, type Activation } from '../fusedActivation';
import { referenceFusedKernels, type FusedKernels } from '../fused';
import type { WasmRuntime } from './runtime';

/**
 * The kernels that may be shared among threads, on operands in the memory: the pool's (which
 * runs them on the calling thread alone when small), with the same arguments as FusedKernels.
 */
export interface SharedKernels {
  linear(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, m: number, k: number, n: number, activation: Activation): void;
  adam: FusedKernels['adam'];
  sgd: FusedKernels['sgd'];
  relu: FusedKernels['relu'];
  reluGrad: FusedKernels['reluGrad'];
  reluGradWrite: FusedKernels['reluGradWrite'];
  maxPool: FusedKernels['maxPool'];
  maxPoolGradWrite: FusedKernels['maxPoolGradWrite'];
}

export function createWasmFusedKernels(runtime: WasmRuntime, shared: SharedKernels): FusedKernels {
  const ref = referenceFusedKernels;
  const { memory, kernels: wasm } = runtime;
  const holds = (a: Float32Array): boolean => memory.holds(a);
  const holdsInts = (a: Int32Array): boolean => memory.holds(a);

  return {
    linearForward(x, w, bias, y, m, k, n, activation) {
      if (holds(x) && holds(w) && holds(y) && (bias === null || holds(bias))) shared.linear(x, w, bias, y, m, k, n, activation);
      else ref.linearForward(x, w, bias, y, m, k, n, activation);
    },

    activationBackward(g, y, rows, cols, activation, gz, db) {
      if (holds(g) && holds(y) && (gz === null || holds(gz)) && (db === null || holds(db))) {
        wasm.activationBackward(g.byteOffset, y.byteOffset, rows, cols, ACTIVATION_CODE[activation], gz ? gz.byteOffset : 0, db ? db.byteOffset : 0);
      } else ref.activationBackward(g, y, rows, cols, activation, gz, db);
    },

    crossEntropy(logits, targets, n, c, dlogits) {
      if (!holds(logits) || (dlogits !== null && !holds(dlogits))) return ref.crossEntropy(logits, targets, n, c, dlogits);
      return wasm.crossEntropy(logits.byteOffset, runtime.ints(targets, n), n, c, dlogits ? dlogits.byteOffset : 0);
    },

    addScaled(src, scale, dst) {
      if (holds(src) && holds(dst)) wasm.addScaled(src.byteOffset, scale, dst.byteOffset, src.length);
      else ref.addScaled(src, scale, dst);
    },

    sumOfSquares(x) {
      return holds(x) ? wasm.sumOfSquares(x.byteOffset, x.length) : ref.sumOfSquares(x);
    },

    sumOfSquaredDifferences(a, b) {
      if (a.length !== b.length || !holds(a) || !holds(b)) return ref.sumOfSquaredDifferences(a, b);
      return wasm.sumOfSquaredDifferences(a.byteOffset, b.byteOffset, a.length);
    },

    relu(x, out) {
      if (holds(x) && holds(out)) shared.relu(x, out);
      else ref.relu(x, out);
    },

    reluGrad(g, y, dx) {
      if (holds(g) && holds(y) && holds(dx)) shared.reluGrad(g, y, dx);
      else ref.reluGrad(g, y, dx);
    },

    reluGradWrite(g, y, dx) {
      if (holds(g) && holds(y) && holds(dx)) shared.reluGradWrite(g, y, dx);
      else ref.reluGradWrite(g, y, dx);
    },

    maxPool(x, g, out, argmax) {
      if (holds(x) && holds(out) && holdsInts(argmax)) {
        shared.maxPool(x, g, out, argmax);
      } else ref.maxPool(x, g, out, argmax);
    },

    maxPoolGrad(grad, argmax, dx) {
      if (holds(grad) && holdsInts(argmax) && holds(dx)) wasm.maxPoolGrad(grad.byteOffset, argmax.byteOffset, grad.length, dx.byteOffset);
      else ref.maxPoolGrad(grad, argmax, dx);
    },

    maxPoolGradWrite(grad, argmax, planes, inPlane, dx) {
      if (holds(grad) && holdsInts(argmax) && holds(dx)) {
        shared.maxPoolGradWrite(grad, argmax, planes, inPlane, dx);
      } else ref.maxPoolGradWrite(grad, argmax, planes, inPlane, dx);
    },

    adam(p, g, m, v, beta1, beta2, stepSize, invC2, eps, weightDecay) {
      if (holds(p) && holds(g) && holds(m) && holds(v)) shared.adam(p, g, m, v, beta1, beta2, stepSize, invC2, eps, weightDecay);
      else ref.adam(p, g, m, v, beta1, beta2, stepSize, invC2, eps, weightDecay);
    },

    sgd(p, g, buf, lr, momentum, dampening, weightDecay, nesterov, first) {
      if (holds(p) && holds(g) && (buf === null || holds(buf))) shared.sgd(p, g, buf, lr, momentum, dampening, weightDecay, nesterov, first);
      else ref.sgd(p, g, buf, lr, momentum, dampening, weightDecay, nesterov, first);
    },

    prepareGather(images) {
      runtime.residentCopyOf(images);
    },

    gatherScaled(images, rowLength, indices, count, out) {
      if (!holds(out)) return ref.gatherScaled(images, rowLength, indices, count, out);
      // The data set's pixels are copied into the memory on first use (47 MB for MNIST's training set).
      const resident = runtime.residentCopyOf(images);
      wasm.gatherScaled(resident.byteOffset, rowLength, runtime.ints(indices, count), count, out.byteOffset);
    },

    columnRuns(x, rows, cols, runs) {
      if (holds(x) && holdsInts(runs)) return wasm.columnRuns(x.byteOffset, rows, cols, runs.byteOffset);
      return ref.columnRuns(x, rows, cols, runs);
    },

    gatherColumns(src, rows, cols, runs, nruns, dst) {
      if (holds(src) && holdsInts(runs) && holds(dst)) wasm.gatherColumns(src.byteOffset, rows, cols, runs.byteOffset, nruns, dst.byteOffset);
      else ref.gatherColumns(src, rows, cols, runs, nruns, dst);
    },

    scatterColumns(src, rows, runs, nruns, dst, cols, accumulate) {
      if (holds(src) && holdsInts(runs) && holds(dst)) wasm.scatterColumns(src.byteOffset, rows, runs.byteOffset, nruns, dst.byteOffset, cols, +accumulate);
      else ref.scatterColumns(src, rows, runs, nruns, dst, cols, accumulate);
    },
  };
}
