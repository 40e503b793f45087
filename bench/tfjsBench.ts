// The same benchmarks on @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD; single-threaded in
// Node), so anyone can reproduce the comparison in one run on one machine.
// Same model (784 → 128 → ReLU → 10, PyTorch's uniform init), Adam 1e-3, cross-entropy,
// random batches with replacement from real MNIST. tfjs-core's Node build ships without
// its gradient registry (the umbrella @tensorflow/tfjs adds it), so the backward pass is
// written out: the same five matmuls autograd would run, then tfjs's own Adam.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadMnist } from '../src/main/data/loadMnist';
import type { MatmulRow } from './matmulBench';
import { flops, MATMUL_SHAPES } from './shapes';
import type { ThroughputRow } from './trainingBench';
import { round, timeCallsAsync } from './timing';

export async function initTfjsWasm(): Promise<string> {
  const dist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  setWasmPaths(`${dist}/`);
  await tf.setBackend('wasm');
  await tf.ready();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return `tfjs-wasm ${tf.version_core}${simd ? ' simd' : ''}${threads ? ' threads' : ''}`;
}

export async function benchTfjsMatmul(engine: string, budgetMs: number): Promise<MatmulRow[]> {
  const rows: MatmulRow[] = [];
  for (const s of MATMUL_SHAPES) {
    const a = tf.randomUniform(s.transA ? [s.k, s.m] : [s.m, s.k]);
    const b = tf.randomUniform(s.transB ? [s.n, s.k] : [s.k, s.n]);
    const t = await timeCallsAsync(async () => {
      const c = tf.matMul(a, b, s.transA, s.transB);
      await c.data();
      c.dispose();
    }, budgetMs);
    rows.push({ shape: s.name, threads: 1, kernel: engine, gflops: round(flops(s) / t.seconds / 1e9), gflopsPerCpu: round(flops(s) / t.cpuSeconds / 1e9) });
    a.dispose();
    b.dispose();
  }
  return rows;
}

export async function benchTfjsTraining(engine: string, batch: number, budgetMs: number): Promise<ThroughputRow> {
  const { train } = loadMnist();
  const pixels = new Float32Array(train.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = train.images[i] / 255;
  const images = tf.tensor2d(pixels, [train.count, 784]);
  const labels = tf.tensor1d(Int32Array.from(train.labels), 'int32');
  const uniform = (name: string, shape: [number, number] | [number], fanIn: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)), true, name);
  const w1 = uniform('w1', [784, 128], 784);
  const b1 = uniform('b1', [128], 784);
  const w2 = uniform('w2', [128, 10], 128);
  const b2 = uniform('b2', [10], 128);
  const optimizer = tf.train.adam(1e-3);
  const step = async (): Promise<void> => {
    const idx = tf.tensor1d(
      Int32Array.from({ length: batch }, () => Math.floor(Math.random() * train.count)),
      'int32',
    );
    const loss = tf.tidy(() => {
      const x = tf.gather(images, idx);
      const y = tf.oneHot(tf.gather(labels, idx), 10);
      const pre = tf.add(tf.matMul(x, w1), b1);
      const h = tf.relu(pre);
      const logits = tf.add(tf.matMul(h, w2), b2);
      const logProbs = tf.logSoftmax(logits);
      const value = tf.neg(tf.mean(tf.sum(tf.mul(y, logProbs), 1)));
      // d loss / d logits = (softmax − onehot) / batch
      const dLogits = tf.div(tf.sub(tf.exp(logProbs), y), batch);
      const dH = tf.mul(tf.matMul(dLogits, w2, false, true), tf.step(pre));
      // An explicit transpose then a plain matMul: ~40 % faster in tfjs-wasm than matMul's transposeA.
      optimizer.applyGradients({
        w1: tf.matMul(tf.transpose(x), dH),
        b1: tf.sum(dH, 0),
        w2: tf.matMul(tf.transpose(h), dLogits),
        b2: tf.sum(dLogits, 0),
      });
      return value;
    });
    await loss.data(); // the app reads the loss every step, so must this
    loss.dispose();
    idx.dispose();
  };
  for (let i = 0; i < 20; i++) await step();
  const t = await timeCallsAsync(step, budgetMs);
  tf.dispose([images, labels, w1, b1, w2, b2]);
  optimizer.dispose();
  return {
    model: 'mlp',
    engine,
    threads: 1,
    batch,
    stepsPerSecond: round(1 / t.seconds),
    samplesPerSecond: Math.round(batch / t.seconds),
    cpuCores: round(t.cpuSeconds / t.seconds, 2),
  };
}
