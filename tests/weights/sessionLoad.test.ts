// Save and load through the worker's weights commands, on a real session, Trainer and MNIST.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crossEntropy, noGrad, Tensor } from '../../src/engine';
import { encodeSafetensors, type TensorRecord } from '../../src/engine/io/safetensors';
import { loadMnist } from '../../src/main/data/loadMnist';
import { TrainingSession } from '../../src/main/training/session';
import { Trainer } from '../../src/main/training/trainer';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { buildWeightsMetadata } from '../../src/main/weights/metadata';
import { WeightsFileError } from '../../src/main/weights/format';
import { createWeightsCommands } from '../../src/main/weights/weightsCommands';
import type { EventName, TrainConfig } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';
import { DEEP_SPEC, makeParams, mlpConfig } from './helpers';

const sgd = (lr: number, momentum: number) => ({ type: 'sgd' as const, hyper: { lr, momentum } });

const mnist = loadMnist();
// The first 500 test images keep each evaluation (every save and load runs one) quick.
const TEST_IMAGES = 500;
const data = {
  train: mnist.train,
  test: {
    ...mnist.test,
    count: TEST_IMAGES,
    images: mnist.test.images.subarray(0, TEST_IMAGES * 784),
    labels: mnist.test.labels.subarray(0, TEST_IMAGES),
  },
};
const HIDDEN = 16;

function setup(config: Partial<TrainConfig> = {}) {
  const events: EventName[] = [];
  const session = new TrainingSession({
    createTrainer: (c) => new Trainer(data, c),
    emit: (event) => events.push(event),
  });
  session.reset({ ...mlpConfig(HIDDEN, { evalEvery: 1_000_000 }), ...config });
  const weights = createWeightsCommands(session);
  const trainer = () => session.ensureTrainer() as Trainer;
  const steps = (n: number) => {
    for (let i = 0; i < n; i++) trainer().trainStep();
  };
  return { session, weights, trainer, steps, events };
}

/** Probabilities for a few test digits: any change to any weight shows here. */
function predictions(session: TrainingSession): number[][] {
  return [0, 1, 2, 3, 4].map((i) => {
    const pixels = Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (p) => p / 255);
    return session.classify(pixels).probabilities;
  });
}

describe('weights commands on a live session', () => {
  it('save → reset → load gives identical predictions, the same test accuracy and the saved step', () => {
    const { session, weights, steps, trainer } = setup();
    steps(30);
    const before = predictions(session);
    const accuracyBefore = session.evaluate().testAccuracy;
    const file = weights.weightsFile('weights');
    expect(file.name).toBe('digitrain-16h-step30.safetensors');
    expect(decodeWeightsFile(file.bytes).metadata.testAccuracy).toBe(accuracyBefore);

    session.reset({});
    expect(predictions(session)).not.toEqual(before);
    const result = weights.loadWeightsFile(file.name, file.bytes);
    expect(result.loaded).toBe(true);
    expect(result.name).toBe(file.name);
    expect(result.evaluation?.testAccuracy).toBe(accuracyBefore);
    expect(predictions(session)).toEqual(before);
    expect(trainer().step).toBe(30);
    expect(session.getState().step).toBe(30);
    steps(1); // Train continues from the loaded weights
    expect(trainer().step).toBe(31);
  });

  it('a bad file leaves the model, the settings, the step, the history and the optimizer untouched', () => {
    const { session, weights, steps, trainer, events } = setup();
    steps(10);
    session.evaluate();
    const predictionsBefore = predictions(session);
    const stateBefore = session.getState();
    const optimizerBefore = trainer().optimizer.stateDict();
    const eventsBefore = events.length;

    const good = weights.weightsFile('weights+optimizer');
    const truncated = good.bytes.subarray(0, good.bytes.length - 1000);
    const bigger = makeParams(32);
    (bigger.get('l2.weight')!.data as Float32Array)[5] = Number.NaN;
    // Built by hand: the app itself refuses to write non-finite weights.
    const nanOtherArchitecture = encodeSafetensors(
      new Map([...bigger].map(([name, p]) => [name, { dtype: 'F32' as const, shape: p.shape, data: p.data }])),
      buildWeightsMetadata({ config: mlpConfig(32), step: 1, testAccuracy: null }),
    );
    const wrongShape = encodeSafetensors({
      'l1.weight': { dtype: 'F32', shape: [HIDDEN, 784], data: new Float32Array(HIDDEN * 784) },
      'l1.bias': { dtype: 'F32', shape: [HIDDEN], data: new Float32Array(HIDDEN) },
      'l2.weight': { dtype: 'F32', shape: [10, HIDDEN + 1], data: new Float32Array(10 * (HIDDEN + 1)) },
      'l2.bias': { dtype: 'F32', shape: [10], data: new Float32Array(10) },
    });
    // The optimizer state names a hyper-parameter the engine's Adam does not have.
    const badOptimizer = (() => {
      const decoded = decodeWeightsFile(good.bytes);
      const optimizer = { ...decoded.optimizer!, hyper: { ...decoded.optimizer!.hyper, amsgrad: 1 } };
      return encodeWeightsFile({ params: makeParams(HIDDEN), config: mlpConfig(HIDDEN), step: 3, testAccuracy: null, optimizer });
    })();

    const valid = () => {
      const out = new Map<string, TensorRecord>();
      for (const [name, p] of makeParams(HIDDEN)) out.set(name, { dtype: 'F32', shape: p.shape, data: p.data });
      return out;
    };
    const missing = valid();
    missing.delete('l1.bias');
    const unknown = valid().set('l3.weight', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    const wrongDtype = valid().set('l2.bias', { dtype: 'F64', shape: [10], data: new Float64Array(10) });
    const hugeHeader = good.bytes.slice();
    new DataView(hugeHeader.buffer).setBigUint64(0, 1n << 40n, true);

    const cases: [Uint8Array, RegExp][] = [
      [truncated, /not a valid safetensors file/],
      [hugeHeader, /not a valid safetensors file: it is not a weights file/],
      [encodeSafetensors(missing), /missing tensor "l1.bias"/],
      [encodeSafetensors(unknown), /unknown tensor "l3.weight"/],
      [encodeSafetensors(wrongDtype), /tensor "l2.bias" is F64; Digitrain weights must be F32/],
      [new TextEncoder().encode('garbage'), /not a valid safetensors file/],
      [nanOtherArchitecture, /tensor "l2.weight" contains NaN/],
      [wrongShape, /tensor "l2.weight" has shape \[10, 17\]/],
      [badOptimizer, /optim.hyper: unknown adam hyperparameter "amsgrad"/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => weights.loadWeightsFile('bad.safetensors', bytes)).toThrow(WeightsFileError);
      expect(() => weights.loadWeightsFile('bad.safetensors', bytes)).toThrow(message);
      expect(predictions(session)).toEqual(predictionsBefore);
      expect(session.getState()).toEqual(stateBefore);
      expect(trainer().optimizer.stateDict()).toEqual(optimizerBefore);
      expect(events.length).toBe(eventsBefore);
    }
  });

  it('loading a file of another model switches the model (and the settings follow), with one status and one snapshot', () => {
    for (const model of [mlpSpec(24), DEEP_SPEC]) {
      const { session, weights, trainer, events } = setup();
      const other = setup({ model });
      other.steps(5);
      const file = other.weights.weightsFile('weights');
      const otherPredictions = predictions(other.session);
      events.length = 0;
      weights.loadWeightsFile(file.name, file.bytes);
      expect(session.getState().config.model).toEqual(model);
      expect([...trainer().weights().keys()]).toEqual([...other.trainer().weights().keys()]);
      expect(predictions(session)).toEqual(otherPredictions);
      expect(events.filter((e) => e === 'status')).toHaveLength(1);
      expect(events.filter((e) => e === 'weights')).toHaveLength(1);
    }
  });

  it('with optimizer state, resuming gives the same next step as never stopping; without it, a fresh optimizer', () => {
    const { weights, steps, trainer } = setup({ optimizer: sgd(0.05, 0.9) });
    steps(8);
    const resume = weights.weightsFile('weights+optimizer');
    const weightsOnly = weights.weightsFile('weights');

    const fixedBatch = Array.from({ length: 32 }, (_, i) => i * 101);
    const nextLoss = (t: Trainer) => fixedStep(t, fixedBatch);
    const resumed = setup();
    resumed.weights.loadWeightsFile(resume.name, resume.bytes);
    expect(resumed.session.getState().config).toMatchObject({ optimizer: sgd(0.05, 0.9) });
    expect(resumed.trainer().optimizer.stateDict()).toEqual(trainer().optimizer.stateDict());

    const fresh = setup({ optimizer: sgd(0.05, 0.9) });
    fresh.weights.loadWeightsFile(weightsOnly.name, weightsOnly.bytes);
    expect(fresh.trainer().optimizer.stateDict().buffers).toEqual({});

    const never = nextLoss(trainer());
    expect(nextLoss(resumed.trainer())).toBe(never);
    expect(nextLoss(fresh.trainer())).not.toBe(never);
  });

  it('refuses to load while training, and says so', () => {
    const { session, weights } = setup();
    const file = weights.weightsFile('weights');
    session.train({});
    try {
      expect(() => weights.loadWeightsFile(file.name, file.bytes)).toThrow(/cannot load weights while training: stop first/);
    } finally {
      session.stop();
    }
  });

  it('produces every kind of file from the live model', () => {
    const { weights } = setup();
    const pytorch = weights.weightsFile('pytorch');
    expect(pytorch.name).toBe('digitrain_16h_step0_pytorch.zip');
    expect(pytorch.folder?.name).toBe('digitrain_16h_step0_pytorch');
    expect(pytorch.folder?.files.map((f) => f.name)).toEqual(['model.py', 'weights.safetensors', 'train.py', 'README.md']);
    // Its zip holds the same files, under the folder's name.
    const zipped = unzipSync(pytorch.bytes);
    expect(Object.keys(zipped)).toEqual(pytorch.folder!.files.map((f) => `digitrain_16h_step0_pytorch/${f.name}`));
    const exported = decodeWeightsFile(zipped['digitrain_16h_step0_pytorch/weights.safetensors']);
    expect(exported.metadata.isDigitrain).toBe(false);
    expect(exported.spec).toEqual(mlpSpec(16)); // the spec travels in its metadata
    const resume = weights.weightsFile('weights+optimizer');
    expect(resume.name).toBe('digitrain-16h-step0-resume.safetensors');
    expect(decodeWeightsFile(resume.bytes).optimizer?.kind).toBe('adam');
    const onnx = weights.weightsFile('onnx');
    expect(onnx.name).toBe('digitrain-16h-step0.onnx');
    expect(onnx.bytes[0]).toBe(0x08); // field 1 (ir_version), varint
  });
});

/** One optimizer step on a fixed batch, then that batch's loss: what "the next step" does, sampler aside. */
function fixedStep(trainer: Trainer, indices: number[]): number {
  const pixels = new Float32Array(indices.length * 784);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, row) => {
    for (let p = 0; p < 784; p++) pixels[row * 784 + p] = data.train.images[index * 784 + p] / 255;
    labels[row] = data.train.labels[index];
  });
  const x = new Tensor(pixels, [labels.length, 784]);
  trainer.optimizer.zeroGrad();
  crossEntropy(trainer.model.forward(x), labels).backward();
  trainer.optimizer.step();
  return noGrad(() => crossEntropy(trainer.model.forward(x), labels).item());
}
