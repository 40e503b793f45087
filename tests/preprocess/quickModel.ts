// A small MNIST model trained in-process in a few seconds (~90 % test accuracy), for
// tests that need a model that gets clear digits right: the classify CLI and the drop e2e.
import { Adam, MLP, Rng, crossEntropy } from '../../src/engine';
import { gatherBatch } from '../../src/engine/data/batch';
import { RandomSampler } from '../../src/engine/data/sampler';
import { encodeSafetensors } from '../../src/engine/io/safetensors';
import { loadMnist } from '../../src/main/data/loadMnist';

export function trainQuickModel(steps = 150, hidden = 64): MLP {
  const { train } = loadMnist();
  const rng = new Rng(1);
  const model = new MLP(784, hidden, 10, rng);
  const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
  const sampler = new RandomSampler(train.count, rng);
  for (let step = 0; step < steps; step++) {
    const { x, y } = gatherBatch(train, sampler.nextBatch(64));
    optimizer.zeroGrad();
    crossEntropy(model.forward(x), y).backward();
    optimizer.step();
  }
  return model;
}

/** Weights-only safetensors with PyTorch's names, as a PyTorch `state_dict` export would be. */
export function modelToSafetensors(model: MLP): Uint8Array {
  const tensors = new Map(model.namedParameters().map(([name, t]) => [name, { dtype: 'F32' as const, shape: [...t.shape], data: t.data }]));
  return encodeSafetensors(tensors);
}
