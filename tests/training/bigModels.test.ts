// Issue 26, point 2: ordinary networks that a learner copies into the editor must train and
// evaluate on the WASM kernels, as the training worker runs them: PyTorch's own MNIST example
// (the pytorch-example preset) at batch 64, and the two-conv model (64 channels kernel 5, then
// 64 channels kernel 9) at batch 32, whose second convolution needed 520 MB of column matrix
// for the whole batch and so failed with "WASM memory: … would exceed the kernels' 1 GiB".
// The step's memory must stay near the estimate (shared/model/cost.ts), far from the budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { threadMemory } from '../../src/engine/parallel/runtime';
import { loadMnist } from '../../src/main/data/loadMnist';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { defaultConfig } from '../../src/shared/contract';
import { describeModel } from '../../src/shared/model/describe';
import { evalChunk, modelCost, STEP_MEMORY_BUDGET, trainingBytes } from '../../src/shared/model/cost';
import { presetSpec } from '../../src/shared/model/presets';
import type { ModelSpec } from '../../src/shared/model/spec';
import { validateModelSpec } from '../../src/shared/model/validateSpec';
import { TWO_CONV } from '../model/costSpecs';

const { train, test } = loadMnist();
// Enough test images for more than one whole batch at evaluation (the two-conv model costs ~0.5 GFLOP per image).
const data: TrainData = { train: sliceMnist(train, 0, 2000), test: sliceMnist(test, 0, 96) };

beforeAll(async () => {
  await enableParallel({ threads: 2 }).whenReady();
});
afterAll(() => shutdownParallel());

function trainAndEvaluate(model: ModelSpec, batchSize: number, steps: number) {
  const trainer = new Trainer(data, { ...defaultConfig(), model, batchSize, seed: 1 });
  const losses = Array.from({ length: steps }, () => trainer.trainStep().loss);
  const evaluation = trainer.evaluate();
  return { trainer, losses, evaluation };
}

describe.each([
  { name: 'pytorch-example at batch 64', model: presetSpec('pytorch-example'), batch: 64, steps: 3 },
  { name: 'the two-conv model at batch 32', model: validateModelSpec(TWO_CONV), batch: 32, steps: 2 },
])('$name', ({ model, batch, steps }) => {
  it('trains a few steps and evaluates, its memory near the estimate', () => {
    const memory = threadMemory();
    const before = memory.byteLength;
    const { trainer, losses, evaluation } = trainAndEvaluate(model, batch, steps);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(evaluation.testLoss)).toBe(true);
    expect(evaluation.confusion.reduce((a, b) => a + b, 0)).toBe(data.test.count);
    // The estimate is within the budget, and the memory grew by no more than the estimate with
    // room for the arena's and staging's growth rules (1.25× and doubling) and the parameters.
    const estimate = trainingBytes(modelCost(describeModel(model)), batch);
    expect(estimate).toBeLessThan(STEP_MEMORY_BUDGET);
    expect(memory.byteLength - before).toBeLessThan(3 * estimate + 64 * 2 ** 20);
    expect(trainer.evalChunk).toBe(evalChunk(modelCost(describeModel(model))));
  });
});
