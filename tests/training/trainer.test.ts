import { describe, expect, it } from 'vitest';
import { MLP, Rng } from '../../src/engine';
import { sliceMnist } from '../../src/engine/data/mnist';
import { loadMnist } from '../../src/main/data/loadMnist';
import { sampleIndices } from '../../src/main/training/evaluation';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';
import { DEEP_SPEC } from '../weights/helpers';

// Small slices of the real data keep every test to a fraction of a second.
function smallData(trainCount = 2000, testCount = 500): TrainData {
  const { train, test } = loadMnist();
  return { train: sliceMnist(train, 0, trainCount), test: sliceMnist(test, 0, testCount) };
}

const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({ ...defaultConfig(), model: mlpSpec(32), ...overrides });
const sgd = (lr: number, momentum: number) => ({ type: 'sgd' as const, hyper: { lr, momentum } });

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('Trainer', () => {
  it('lowers the loss over 200 steps of Adam on 2 000 images', () => {
    const trainer = new Trainer(smallData(), config());
    const losses = Array.from({ length: 200 }, () => trainer.trainStep().loss);
    expect(trainer.step).toBe(200);
    expect(mean(losses.slice(0, 20))).toBeGreaterThan(1.5); // ~ln 10 at the start
    expect(mean(losses.slice(-20))).toBeLessThan(0.7);
    expect(trainer.epoch).toBeCloseTo((200 * 32) / 2000);
  });

  it('learns with SGD + momentum too', () => {
    const trainer = new Trainer(smallData(), config({ optimizer: sgd(0.05, 0.9) }));
    const losses = Array.from({ length: 150 }, () => trainer.trainStep().loss);
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 20)) * 0.5);
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const run = (seed: number) => {
      const trainer = new Trainer(smallData(), config({ seed }));
      return Array.from({ length: 5 }, () => trainer.trainStep().loss);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('evaluates the whole test set: confusion sums to the count, per-class accuracy and samples agree', () => {
    const data = smallData(2000, 1500);
    const trainer = new Trainer(data, config());
    for (let i = 0; i < 50; i++) trainer.trainStep();
    const evaluation = trainer.evaluate();
    expect(evaluation.step).toBe(50);
    expect(evaluation.confusion).toHaveLength(100);
    expect(evaluation.confusion.reduce((a, b) => a + b, 0)).toBe(1500);
    const diagonal = [...Array(10).keys()].reduce((sum, c) => sum + evaluation.confusion[c * 11], 0);
    expect(evaluation.testAccuracy).toBeCloseTo(diagonal / 1500, 10);
    expect(evaluation.testAccuracy).toBeGreaterThan(0.5);
    expect(evaluation.testLoss).toBeGreaterThan(0);
    expect(evaluation.perClassAccuracy).toHaveLength(10);
    for (let label = 0; label < 10; label++) {
      const row = evaluation.confusion.slice(label * 10, label * 10 + 10);
      expect(evaluation.perClassAccuracy[label]).toBeCloseTo(row[label] / row.reduce((a, b) => a + b, 0), 10);
    }

    expect(evaluation.samples.map((s) => s.index)).toEqual(sampleIndices(1500));
    expect(evaluation.samples).toHaveLength(48);
    for (const sample of evaluation.samples) {
      expect(sample.label).toBe(data.test.labels[sample.index]);
      expect(sample.pixels).toEqual(data.test.images.subarray(sample.index * 784, (sample.index + 1) * 784));
      expect(sample.pixels.buffer.byteLength).toBe(784); // a copy, not a view of the 7.8 MB file
      expect(sample.confidence).toBeGreaterThan(0.1);
      expect(sample.confidence).toBeLessThanOrEqual(1);
      // The sample's prediction is the one classify() gives for the same image.
      expect(trainer.classify(Float32Array.from(sample.pixels, (p) => p / 255)).predicted).toBe(sample.predicted);
    }
    expect(new Set(evaluation.samples.map((s) => s.label)).size).toBe(10);
  });

  it('evaluate leaves the weights and gradients alone', () => {
    const trainer = new Trainer(smallData(), config());
    trainer.trainStep();
    const before = trainer.model.parameters().map((p) => Float32Array.from(p.data));
    const grads = trainer.model.parameters().map((p) => p.grad);
    trainer.evaluate();
    trainer.model.parameters().forEach((p, i) => {
      expect(p.data).toEqual(before[i]);
      expect(p.grad).toBe(grads[i]);
    });
  });

  it("classify returns probabilities, the prediction and every layer's output", () => {
    const trainer = new Trainer(smallData(), config({ model: mlpSpec(24) }));
    const { test } = smallData();
    const result = trainer.classify(Float32Array.from(test.images.subarray(0, 784), (p) => p / 255));
    expect(result.probabilities).toHaveLength(10);
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(result.predicted).toBe(result.probabilities.indexOf(Math.max(...result.probabilities)));
    expect(result.activations.map((a) => [a.name, a.shape])).toEqual([
      ['l1', [24]],
      ['act', [24]],
      ['l2', [10]],
    ]);
    const [l1, act, logits] = result.activations.map((a) => Array.from(a.data));
    expect(act).toEqual(l1.map((v) => Math.max(0, v)));
    expect(logits.indexOf(Math.max(...logits))).toBe(result.predicted);
  });

  it("updateConfig changes the learning rate without touching the weights or Adam's moments", () => {
    const trainer = new Trainer(smallData(), config());
    trainer.trainStep();
    const optimizer = trainer.optimizer;
    const moments = optimizer.stateDict().buffers['0.exp_avg'];
    const before = trainer.model.parameters().map((p) => Float32Array.from(p.data));
    trainer.updateConfig({ optimizer: { type: 'adam', hyper: { lr: 5e-4 } }, batchSize: 16 });
    expect(trainer.optimizer).toBe(optimizer);
    expect(trainer.optimizer.lr).toBe(5e-4);
    expect(trainer.optimizer.stateDict().buffers['0.exp_avg']).toEqual(moments);
    expect(trainer.config.optimizer.hyper.lr).toBe(5e-4);
    trainer.model.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]));
    trainer.trainStep();
    expect(trainer.samplesSeen).toBe(32 + 16);
  });

  it('switching the optimizer builds a fresh one on the same parameters', () => {
    const trainer = new Trainer(smallData(), config());
    trainer.trainStep();
    trainer.updateConfig({ optimizer: sgd(0.01, 0.5) });
    expect(trainer.optimizer.kind).toBe('sgd');
    expect(trainer.optimizer.params).toEqual(trainer.model.parameters());
    expect(trainer.optimizer.stateDict().hyper.momentum).toBe(0.5);
    trainer.updateConfig({ optimizer: sgd(0.01, 0.8) });
    expect(trainer.optimizer.stateDict().hyper.momentum).toBe(0.8);
  });

  it('trains a model from any spec: two hidden layers, named as PyTorch would', () => {
    const trainer = new Trainer(smallData(), config({ model: DEEP_SPEC }));
    expect([...trainer.weights()].map(([name, t]) => [name, t.shape])).toEqual([
      ['fc1.weight', [24, 784]],
      ['fc1.bias', [24]],
      ['fc2.weight', [12, 24]],
      ['fc2.bias', [12]],
      ['fc3.weight', [10, 12]],
    ]);
    const losses = Array.from({ length: 150 }, () => trainer.trainStep().loss);
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 20)) * 0.6);
  });

  it("the default model starts from the same weights as before specs existed (l1, then l2, from the seed's stream)", () => {
    const trainer = new Trainer(smallData(), config({ model: mlpSpec(16), seed: 5 }));
    const rng = new Rng(5);
    const reference = new MLP(784, 16, 10, rng);
    for (const [name, tensor] of reference.stateDict()) expect(trainer.weights().get(name)?.data).toEqual(tensor.data);
  });

  it('counts epochs and finishes after the configured number', () => {
    const trainer = new Trainer(smallData(640, 100), config({ epochs: 1, batchSize: 64 }));
    expect(trainer.stepsPerEpoch).toBe(10);
    let steps = 0;
    while (!trainer.finished) {
      trainer.trainStep();
      steps++;
    }
    expect(steps).toBe(10);
    expect(trainer.epoch).toBe(1);
  });

  it('the shuffled sampler also trains', () => {
    const trainer = new Trainer(smallData(), config(), { sampling: 'shuffled' });
    const losses = Array.from({ length: 100 }, () => trainer.trainStep().loss);
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 20)));
  });
});
