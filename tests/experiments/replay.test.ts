// Weight decay (SGD and Adam: L2 added to the gradient; AdamW: decoupled), a learning-rate
// schedule and label smoothing together, as the app's Trainer runs them, against the same six
// steps in PyTorch (tests/fixtures/experiments.json): same initial weights, same MNIST batches;
// each step's rate and loss and the final weights must match.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/engine';
import type { BatchSampler } from '../../src/engine/data/sampler';
import { decodeSafetensors } from '../../src/engine/io/safetensors';
import { loadMnist } from '../../src/main/data/loadMnist';
import { Trainer } from '../../src/main/training/trainer';
import { defaultConfig, type OptimizerConfig } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';
import { validateOptimizerConfig } from '../../src/shared/validate';
import { expectClose, readFixtureBytes, readFixtureJson } from '../engine/fixtures';

interface Replay {
  name: string;
  optimizer: OptimizerConfig;
  label_smoothing: number;
  batch_size: number;
  batch_indices_into_train_set: number[][];
  loss_per_step: number[];
  lr_per_step: number[];
  init: string;
  final: string;
}

const { replays } = readFixtureJson<{ replays: Replay[] }>('experiments.json');

function weights(file: string): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, record] of decodeSafetensors(readFixtureBytes(file)).tensors) out.set(name, new Tensor(record.data as Float32Array, record.shape));
  return out;
}

/** The fixture's batches, in order. */
function replaySampler(batches: number[][]): BatchSampler {
  let next = 0;
  return {
    nextBatch(size) {
      const batch = batches[next++];
      expect(batch.length).toBe(size);
      return Int32Array.from(batch);
    },
  };
}

describe('weight decay, schedules and label smoothing replay PyTorch through the Trainer', () => {
  it('covers SGD, Adam and AdamW, each with weight decay and a schedule', () => {
    expect(replays.map((r) => r.optimizer.type).sort()).toEqual(['adam', 'adamw', 'sgd']);
    for (const r of replays) {
      expect(r.optimizer.hyper.weightDecay).toBeGreaterThan(0);
      expect(r.optimizer.schedule?.type).not.toBe('constant');
    }
  });

  for (const replay of replays) {
    it(`${replay.name}: ${replay.loss_per_step.length} steps`, () => {
      const data = loadMnist();
      const config = {
        ...defaultConfig(),
        model: mlpSpec(16),
        optimizer: validateOptimizerConfig(replay.optimizer),
        batchSize: replay.batch_size,
        labelSmoothing: replay.label_smoothing,
      };
      const trainer = new Trainer(data, config, { sampler: replaySampler(replay.batch_indices_into_train_set) });
      trainer.restore({ params: weights(replay.init), optimizer: null, step: 0, samplesSeen: 0 });
      const losses: number[] = [];
      const rates: number[] = [];
      for (let i = 0; i < replay.loss_per_step.length; i++) {
        const { loss, lr } = trainer.trainStep();
        losses.push(loss);
        rates.push(lr);
      }
      expectClose(rates, replay.lr_per_step, 'lr per step', 1e-12, 0);
      expectClose(losses, replay.loss_per_step, 'loss per step');
      const expected = weights(replay.final);
      for (const [name, param] of trainer.weights()) expectClose(param.data, expected.get(name)!.data, `final ${name}`, 1e-5, 1e-6);
    });
  }
});
