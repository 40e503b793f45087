// The inspector as the training worker runs it: on the WASM kernels (enableParallel), with the
// parameters in the WASM memory and its passes in step scopes. It answers what the reference
// kernels answer, and nothing it returns points into the arena the next step reuses.
import { afterAll, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { loadMnist } from '../../src/main/data/loadMnist';
import { Inspector } from '../../src/main/training/inspect/inspector';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { defaultConfig } from '../../src/shared/contract';
import { validateModelSpec } from '../../src/shared/model/validateSpec';

const { train, test } = loadMnist();
const data: TrainData = { train: sliceMnist(train, 0, 1000), test: sliceMnist(test, 0, 300) };
const model = validateModelSpec({
  input: [1, 28, 28],
  layers: [
    { name: 'conv1', type: 'conv2d', out: 4, kernel: 3, stride: 1, padding: 1, bias: true },
    { name: 'relu1', type: 'relu' },
    { name: 'pool1', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
    { name: 'flatten', type: 'flatten' },
    { name: 'fc1', type: 'linear', out: 16, bias: true },
    { name: 'act', type: 'relu' },
    { name: 'fc2', type: 'linear', out: 10, bias: true },
  ],
});

function inspectAll() {
  const trainer = new Trainer(data, { ...defaultConfig(), model, seed: 3 });
  for (let i = 0; i < 6; i++) trainer.trainStep();
  trainer.evaluate();
  const inspector = new Inspector(() => ({ trainer, training: true }));
  const page = inspector.testPage({ filter: { label: null, predicted: null, correct: false }, order: 'confidence', offset: 0, limit: 20 });
  const filter = inspector.inspectUnit({ layer: 'conv1', unit: 2 });
  const unit = inspector.inspectUnit({ layer: 'fc1', unit: 5 });
  // Another step reuses the arena: what was returned must still read the same.
  const copy = JSON.stringify([page, filter, unit], (_, v) => (v instanceof Float32Array || v instanceof Uint8Array ? Array.from(v) : v));
  trainer.trainStep();
  expect(JSON.stringify([page, filter, unit], (_, v) => (v instanceof Float32Array || v instanceof Uint8Array ? Array.from(v) : v))).toBe(copy);
  return { page, filter, unit };
}

describe('the inspector on the WASM kernels', () => {
  afterAll(() => shutdownParallel());

  it('answers as on the reference kernels', () => {
    const reference = inspectAll();
    enableParallel({ threads: 2 });
    const wasm = inspectAll();
    shutdownParallel();
    expect(wasm.page.total).toBe(reference.page.total);
    expect(wasm.page.images.map((i) => i.index)).toEqual(reference.page.images.map((i) => i.index));
    for (const key of ['filter', 'unit'] as const) {
      expect(wasm[key].top.map((i) => i.index)).toEqual(reference[key].top.map((i) => i.index));
      wasm[key].top.forEach((image, k) => expect(image.activation).toBeCloseTo(reference[key].top[k].activation, 4));
      wasm[key].votes?.values.forEach((v, d) => expect(v).toBeCloseTo(reference[key].votes!.values[d], 5));
      expect(wasm[key].histogram.counts.reduce((a, b) => a + b, 0)).toBe(300);
    }
  });
});
