// The Trainer on the WASM kernels (enableParallel), as the training worker runs it: each step in
// a step scope, so activations and gradients live in the WASM memory's arena, parameters and
// optimizer state in persistent blocks. A model with every layer family the engine has
// (convolution, batch norm, pooling, dropout, Linear+ReLU, which Sequential fuses) and each
// optimizer (Adam and SGD with weight decay through the fused kernels, AdamW through its own
// loop) must train as on the reference kernels, and everything a host reads between steps
// (weights, optimizer state, evaluation, classify's per-layer outputs) must be readable. So
// must what experiments add: a schedule, label smoothing, the learner's digits mixed into the
// batch (part of it, or all), predictions of their digits, and a checkpoint restored.
import { afterAll, describe, expect, it } from 'vitest';
import { type MnistSet, sliceMnist } from '../../src/engine/data/mnist';
import { enableParallel, shutdownParallel, wasmUnavailableReason } from '../../src/engine/parallel';
import { isResident } from '../../src/engine/storage';
import { loadMnist } from '../../src/main/data/loadMnist';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import type { OptimizerConfig } from '../../src/shared/optimizers';
import { validateModelSpec } from '../../src/shared/model/validateSpec';

const { train, test } = loadMnist();
const data: TrainData = { train: sliceMnist(train, 0, 1000), test: sliceMnist(test, 0, 300) };

const model = validateModelSpec({
  input: [1, 28, 28],
  layers: [
    // No bias before batch norm: its gradient would be rounding noise, which Adam scales up to lr-sized steps.
    { name: 'conv1', type: 'conv2d', out: 4, kernel: 3, stride: 1, padding: 1, bias: false },
    { name: 'bn1', type: 'batchnorm', momentum: 0.1, eps: 1e-5 },
    { name: 'relu1', type: 'relu' },
    { name: 'pool1', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
    { name: 'drop', type: 'dropout', p: 0.25 },
    { name: 'flatten', type: 'flatten' },
    { name: 'fc1', type: 'linear', out: 32, bias: true },
    { name: 'act', type: 'relu' },
    { name: 'fc2', type: 'linear', out: 10, bias: true },
  ],
});

const OPTIMIZERS: OptimizerConfig[] = [
  { type: 'adam', hyper: { lr: 1e-3, weightDecay: 1e-3 } },
  { type: 'sgd', hyper: { lr: 0.02, momentum: 0.9, weightDecay: 1e-3 } },
  { type: 'adamw', hyper: { lr: 1e-3, weightDecay: 0.05 } },
];
const STEPS = 8;

interface Outcome {
  losses: number[];
  weights: Map<string, Float32Array>;
  resident: boolean;
  testAccuracy: number;
}

function runTrainer(optimizer: OptimizerConfig): Outcome {
  const config: TrainConfig = { ...defaultConfig(), model, optimizer, batchSize: 16, seed: 7 };
  const trainer = new Trainer(data, config);
  const losses = Array.from({ length: STEPS }, () => trainer.trainStep().loss);
  const weights = new Map([...trainer.weights()].map(([name, t]) => [name, Float32Array.from(t.data)]));
  const resident = trainer.model.parameters().every((p) => isResident(p.data));
  // Readable after the steps' scopes have ended: the optimizer state and the parameters' values.
  const state = trainer.optimizerState();
  expect(Object.keys(state.buffers).length).toBeGreaterThan(0);
  for (const buffer of Object.values(state.buffers)) expect(buffer.every(Number.isFinite)).toBe(true);
  const evaluation = trainer.evaluate();
  expect(evaluation.confusion.reduce((a, b) => a + b, 0)).toBe(data.test.count);
  const pixels = Float32Array.from(data.test.images.subarray(0, 784), (p) => p / 255);
  const result = trainer.classify(pixels);
  // Every layer's output, unfused: fc1 before the ReLU, act after it.
  expect(result.activations.map((a) => a.name)).toEqual(model.layers.map((l) => l.name));
  const fc1 = Array.from(result.activations[6].data);
  expect(Array.from(result.activations[7].data)).toEqual(fc1.map((v) => Math.max(0, v)));
  expect(fc1.some((v) => v < 0)).toBe(true);
  // Training goes on after an evaluation and a classify (they ran in and out of step scopes).
  losses.push(trainer.trainStep().loss);
  return { losses, weights, resident, testAccuracy: evaluation.testAccuracy };
}

describe('the Trainer on the WASM kernels matches the reference kernels', () => {
  afterAll(() => shutdownParallel());

  it('the WASM kernels are built (npm run build:wasm)', () => {
    expect(wasmUnavailableReason()).toBe('');
  });

  for (const optimizer of OPTIMIZERS) {
    it(`${optimizer.type} (weight decay ${optimizer.hyper.weightDecay}): a conv/batch-norm/dropout/Linear+ReLU model`, () => {
      const reference = runTrainer(optimizer);
      expect(reference.resident).toBe(false);
      enableParallel({ threads: 2, minParallelFlops: 0, backoff: false });
      let wasm: Outcome;
      try {
        wasm = runTrainer(optimizer);
      } finally {
        void shutdownParallel();
      }
      expect(wasm.resident).toBe(true);
      // Summation orders differ (gemm blocking, skipped zero columns): close, not equal.
      wasm.losses.forEach((loss, i) => expect(Math.abs(loss - reference.losses[i]), `loss of step ${i + 1}`).toBeLessThan(1e-4 * Math.max(1, reference.losses[i])));
      for (const [name, want] of reference.weights) {
        const got = wasm.weights.get(name)!;
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1e-3 + Math.abs(want[i])));
        expect(worst, name).toBeLessThan(1e-2);
      }
      expect(Math.abs(wasm.testAccuracy - reference.testAccuracy)).toBeLessThanOrEqual(0.01);
    });
  }

  it("a cosine schedule, label smoothing, the learner's digits mixed in, their predictions and a restored checkpoint", () => {
    // Twelve "digits of the learner": test images, labels kept.
    const mine: MnistSet = sliceMnist(test, 2000, 2012);
    const run = (): { losses: number[]; lrs: number[]; predicted: Int32Array; weights: Map<string, Float32Array> } => {
      const optimizer: OptimizerConfig = { type: 'adam', hyper: { lr: 2e-3, weightDecay: 0 }, schedule: { type: 'cosine', hyper: { scheduleSteps: 10, minLrFactor: 0.1 } } };
      const config: TrainConfig = { ...defaultConfig(), model, optimizer, batchSize: 16, seed: 3, labelSmoothing: 0.1, mixMyDigits: 0.25 };
      const trainer = new Trainer(data, config);
      trainer.setMyDigits(mine);
      const losses: number[] = [];
      const lrs: number[] = [];
      const take = (): void => {
        const { loss, lr } = trainer.trainStep();
        losses.push(loss);
        lrs.push(lr);
      };
      for (let i = 0; i < 4; i++) take();
      const saved = trainer.checkpoint();
      trainer.updateConfig({ mixMyDigits: 1 }); // a whole batch of the learner's digits
      for (let i = 0; i < 3; i++) take();
      const predicted = trainer.predict(mine);
      // Back to the checkpoint (as Restore best does, on a fresh Trainer), then on from there.
      const restored = new Trainer(data, { ...config, mixMyDigits: 0.25 });
      restored.setMyDigits(mine);
      restored.restore(saved);
      for (let i = 0; i < 3; i++) {
        const { loss, lr } = restored.trainStep();
        losses.push(loss);
        lrs.push(lr);
      }
      const weights = new Map([...restored.weights()].map(([name, t]) => [name, Float32Array.from(t.data)]));
      return { losses, lrs, predicted, weights };
    };
    const reference = run();
    enableParallel({ threads: 2, minParallelFlops: 0, backoff: false });
    let wasm: ReturnType<typeof run>;
    try {
      wasm = run();
    } finally {
      void shutdownParallel();
    }
    expect(wasm.lrs).toEqual(reference.lrs);
    expect(new Set(reference.lrs).size).toBeGreaterThan(3);
    wasm.losses.forEach((loss, i) => expect(Math.abs(loss - reference.losses[i]), `loss of step ${i + 1}`).toBeLessThan(1e-4 * Math.max(1, reference.losses[i])));
    expect(Array.from(wasm.predicted)).toEqual(Array.from(reference.predicted));
    for (const [name, want] of reference.weights) {
      const got = wasm.weights.get(name)!;
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `${name}[${i}]`).toBeLessThan(1e-3 * (1e-2 + Math.abs(want[i])) + 1e-5);
    }
  });
});
