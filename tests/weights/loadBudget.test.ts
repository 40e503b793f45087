// Issue 26, point 2: a weights file whose model is fine but whose training step at the current
// batch size is over the memory budget is refused before anything is built, saying so (not
// "the file's state does not fit its model"), and the live run is left as it was.
import { describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { loadMnist } from '../../src/main/data/loadMnist';
import { TrainingSession } from '../../src/main/training/session';
import { Trainer } from '../../src/main/training/trainer';
import { createWeightsCommands } from '../../src/main/weights/weightsCommands';
import { defaultConfig } from '../../src/shared/contract';
import { presetSpec } from '../../src/shared/model/presets';

const { train, test } = loadMnist();
const data = { train: sliceMnist(train, 0, 500), test: sliceMnist(test, 0, 50) };

describe('loading a file whose model is over the memory budget at the batch size', () => {
  it('says the file is fine and names the layer and the numbers; the run is unchanged', () => {
    const session = new TrainingSession({ createTrainer: (c) => new Trainer(data, c), emit: () => undefined });
    const weights = createWeightsCommands(session);
    session.reset({ ...defaultConfig(), model: presetSpec('pytorch-example'), batchSize: 64 });
    const file = weights.weightsFile('weights').bytes;

    session.reset({ ...defaultConfig(), batchSize: 4096 });
    const before = JSON.stringify(session.getState().config);
    let message = '';
    try {
      weights.loadWeightsFile('pytorch-example.safetensors', file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^the file is fine, but its model does not fit the memory budget at batch size 4096: layer "relu1" \(relu\): a training step at batch 4096 needs [\d.]+ GiB/);
    expect(message).not.toMatch(/does not fit its model/);
    expect(JSON.stringify(session.getState().config)).toBe(before);

    // At a batch size it fits, the same file loads.
    session.reset({ ...defaultConfig(), batchSize: 64 });
    expect(weights.loadWeightsFile('pytorch-example.safetensors', file).loaded).toBe(true);
  });
});
