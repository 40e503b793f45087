// The CNN preset's speed: the second convolution alone (forward and backward, GFLOPS) and
// whole training steps of the net, ours against @tensorflow/tfjs-backend-wasm.
//
// The net is the `cnn` preset (src/shared/model/presets.ts), ConvNetJS's MNIST net: conv1 1→8 k5 p2, ReLU,
// maxpool 2, conv2 8→16 k5 p2, ReLU, maxpool 3, flatten, fc 256→10; Adam 1e-3, batch 32,
// random batches (with replacement) of real MNIST, the loss read back every step. Ours and
// tfjs run in alternating rounds, so both see the same load on the shared machine; the
// figure to read is the median of the per-round ratios.
//
// tfjs runs NHWC (its native layout) with the backward pass written out, since tfjs-core's
// Node build has no gradient registry: the same ops autograd would run. tfjs-backend-wasm has
// no Conv2DBackpropFilter kernel, so the filter gradient is a convolution of the input with
// the output gradient (batch and channels swapped), and the input gradient is a convolution
// with the flipped filter, which measured ~1.9× faster than its Conv2DBackpropInput kernel.
import * as tf from '@tensorflow/tfjs-core';
import { Adam, conv2d, crossEntropy, Rng, stepScope, Tensor } from '../src/engine';
import { SpecModel } from '../src/main/model/specModel';
import { presetSpec } from '../src/shared/model/presets';
import { gatherBatch, prepareGather } from '../src/engine/data/batch';
import type { MnistSet } from '../src/engine/data/mnist';
import { loadMnist } from '../src/main/data/loadMnist';
import { median, round, timeCalls, timeCallsAsync } from './timing';
import { withPool } from './trainingBench';

const BATCH = 32;

export interface ConvRow {
  layer: string;
  threads: number;
  kernel: string;
  /** Forward, weight gradient and input gradient: 3 · 2·O·C·k²·N·oH·oW FLOPs (bias not counted). */
  gflops: number;
  milliseconds: number;
}

/** conv2 of the cnn preset (8→16, k5, p2, 14×14, batch 32): forward + backward. */
export async function benchConv2(threads: number, budgetMs: number): Promise<ConvRow> {
  return withPool(threads, (kernel) => {
    const rng = new Rng(0);
    const x = Tensor.randn([BATCH, 8, 14, 14], rng, { requiresGrad: true });
    const w = Tensor.randn([16, 8, 5, 5], rng, { requiresGrad: true });
    const b = Tensor.randn([16], rng, { requiresGrad: true });
    const g = Tensor.randn([BATCH, 16, 14, 14], rng);
    const t = timeCalls(() => {
      x.grad = w.grad = b.grad = null;
      conv2d(x, w, b, { padding: 2 }).backward(g);
    }, budgetMs);
    const flops = 3 * 2 * 16 * 8 * 25 * BATCH * 14 * 14;
    return { layer: 'conv2 8→16 k5 p2, 14×14, batch 32', threads, kernel, gflops: round(flops / t.seconds / 1e9), milliseconds: round(t.seconds * 1000, 2) };
  });
}

/** The cnn preset itself, built as the app builds it. */
function ourCnn(): SpecModel {
  return new SpecModel(presetSpec('cnn'), new Rng(0));
}

function ourStep(train: MnistSet): () => void {
  const model = ourCnn();
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const rng = new Rng(1);
  const indices = new Int32Array(BATCH);
  prepareGather(train);
  // One step scope per step, as the Trainer runs it (activations and gradients in the WASM memory's arena).
  return () =>
    stepScope(() => {
      for (let i = 0; i < BATCH; i++) indices[i] = rng.int(train.count);
      const { x, y } = gatherBatch(train, indices);
      const loss = crossEntropy(model.forward(x.reshape([BATCH, 1, 28, 28])), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      loss.item();
    });
}

function tfjsStep(train: MnistSet): { step: () => Promise<void>; dispose: () => void } {
  const pixels = new Float32Array(train.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = train.images[i] / 255;
  const images = tf.tensor4d(pixels, [train.count, 28, 28, 1]);
  const labels = tf.tensor1d(Int32Array.from(train.labels), 'int32');
  const uniform = (shape: number[], fanIn: number): tf.Variable => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  const f1 = uniform([5, 5, 1, 8], 25);
  const b1 = uniform([8], 25);
  const f2 = uniform([5, 5, 8, 16], 200);
  const b2 = uniform([16], 200);
  const w = uniform([256, 10], 256);
  const b = uniform([10], 256);
  const optimizer = tf.train.adam(1e-3);
  // dF[kh,kw,ci,co] = Σ x_pad[n,oh+kh,ow+kw,ci]·dz[n,oh,ow,co]: x with batch and channels swapped, dz as the filter.
  const filterGrad = (x: tf.Tensor4D, dz: tf.Tensor4D): tf.Tensor => tf.transpose(tf.conv2d(tf.transpose(x, [3, 1, 2, 0]), tf.transpose(dz, [1, 2, 0, 3]), 1, 2), [1, 2, 0, 3]);
  // dx = dz convolved with the filter flipped in space, in and out channels swapped ("same" padding 2).
  const inputGrad = (dz: tf.Tensor4D, f: tf.Variable): tf.Tensor4D => tf.conv2d(dz, tf.transpose(tf.reverse(f, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, 2);
  const maxPoolGrad = (dy: tf.Tensor, input: tf.Tensor, output: tf.Tensor, k: number): tf.Tensor4D =>
    tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: k, strides: k, pad: 'valid' }) as tf.Tensor4D;
  const step = async (): Promise<void> => {
    const idx = tf.tensor1d(
      Int32Array.from({ length: BATCH }, () => Math.floor(Math.random() * train.count)),
      'int32',
    );
    const loss = tf.tidy(() => {
      const x = tf.gather(images, idx) as tf.Tensor4D;
      const y = tf.oneHot(tf.gather(labels, idx), 10);
      const z1 = tf.add(tf.conv2d(x, f1 as tf.Tensor4D, 1, 2), b1) as tf.Tensor4D;
      const r1 = tf.relu(z1);
      const p1 = tf.maxPool(r1, 2, 2, 'valid');
      const z2 = tf.add(tf.conv2d(p1, f2 as tf.Tensor4D, 1, 2), b2) as tf.Tensor4D;
      const r2 = tf.relu(z2);
      const p2 = tf.maxPool(r2, 3, 3, 'valid');
      const flat = tf.reshape(p2, [BATCH, 256]) as tf.Tensor2D;
      const logProbs = tf.logSoftmax(tf.add(tf.matMul(flat, w as tf.Tensor2D), b));
      const value = tf.neg(tf.mean(tf.sum(tf.mul(y, logProbs), 1)));
      const dLogits = tf.div(tf.sub(tf.exp(logProbs), y), BATCH) as tf.Tensor2D;
      const dFlat = tf.reshape(tf.matMul(dLogits, w as tf.Tensor2D, false, true), p2.shape);
      const dz2 = tf.mul(maxPoolGrad(dFlat, r2, p2, 3), tf.step(z2)) as tf.Tensor4D;
      const dz1 = tf.mul(maxPoolGrad(inputGrad(dz2, f2), r1, p1, 2), tf.step(z1)) as tf.Tensor4D;
      optimizer.applyGradients([
        { name: f1.name, tensor: filterGrad(x, dz1) },
        { name: b1.name, tensor: tf.sum(dz1, [0, 1, 2]) },
        { name: f2.name, tensor: filterGrad(p1, dz2) },
        { name: b2.name, tensor: tf.sum(dz2, [0, 1, 2]) },
        { name: w.name, tensor: tf.matMul(flat, dLogits, true, false) },
        { name: b.name, tensor: tf.sum(dLogits, 0) },
      ]);
      return value;
    });
    await loss.data();
    loss.dispose();
    idx.dispose();
  };
  return {
    step,
    dispose: () => {
      tf.dispose([images, labels, f1, b1, f2, b2, w, b]);
      optimizer.dispose();
    },
  };
}

export interface CnnTrainingResult {
  threads: number;
  kernel: string;
  tfjsEngine: string;
  rounds: number;
  /** Medians over the rounds. */
  oursSamplesPerSecond: number;
  tfjsSamplesPerSecond: number;
  /** Median of the per-round ratios ours ÷ tfjs (target ≥ 2). */
  ratio: number;
  /** Median per-round ratio of CPU time per step, tfjs ÷ ours: the work each does, less sensitive to
   * other processes than wall time. With threads > 1 ours includes the workers' time (and spinning). */
  cpuRatio: number;
}

/** Training samples/s of the cnn net, ours (pool of `threads`) and tfjs-wasm, in alternating rounds. */
export async function benchCnnTraining(threads: number, tfjsEngine: string, rounds: number, roundMs: number): Promise<CnnTrainingResult> {
  const { train } = loadMnist();
  const theirs = tfjsStep(train);
  try {
    return await withPool(threads, async (kernel) => {
      const ours = ourStep(train);
      for (let i = 0; i < 20; i++) {
        ours();
        await theirs.step();
      }
      const oursRates: number[] = [];
      const tfjsRates: number[] = [];
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const a = timeCalls(ours, roundMs, 3);
        const b = await timeCallsAsync(theirs.step, roundMs, 3);
        oursRates.push(BATCH / a.seconds);
        tfjsRates.push(BATCH / b.seconds);
        ratios.push(b.seconds / a.seconds);
        cpuRatios.push(b.cpuSeconds / a.cpuSeconds);
      }
      return {
        threads,
        kernel,
        tfjsEngine,
        rounds,
        oursSamplesPerSecond: Math.round(median(oursRates)),
        tfjsSamplesPerSecond: Math.round(median(tfjsRates)),
        ratio: round(median(ratios), 2),
        cpuRatio: round(median(cpuRatios), 2),
      };
    });
  } finally {
    theirs.dispose();
  }
}
