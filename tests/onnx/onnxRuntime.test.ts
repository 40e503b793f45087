// The ONNX export runs in onnxruntime-node and gives the logits of our own engine on
// real MNIST test images.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { gatherBatch } from '../../src/engine/data/batch';
import { noGrad, Rng } from '../../src/engine';
import { SpecModel } from '../../src/main/model/specModel';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';
import { mlpSpec } from '../../src/shared/model/spec';
import { loadMnist } from '../../src/main/data/loadMnist';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeOnnxExport } from '../../src/main/weights/encode';
import { loadedStateDict } from '../../src/main/weights/stateDict';
import { DEEP_SPEC, fixtureBytes, mlpConfig } from '../weights/helpers';

const IMAGES = 200;

async function runOnnx(model: Uint8Array, pixels: Float32Array, batch: number): Promise<{ dims: readonly number[]; data: Float32Array }> {
  const session = await ort.InferenceSession.create(model);
  try {
    expect(session.inputNames).toEqual(['pixels']);
    expect(session.outputNames).toEqual(['logits']);
    const out = await session.run({ pixels: new ort.Tensor('float32', pixels, [batch, 784]) });
    return { dims: out.logits.dims, data: out.logits.data as Float32Array };
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('ONNX export in onnxruntime-node', () => {
  const test = loadMnist().test;
  const indices = Array.from({ length: IMAGES }, (_, i) => i * 37);
  const { x, y } = gatherBatch(test, indices);

  it('matches the engine forward to 1e-5 on real MNIST test images (trained fixture weights)', async () => {
    const model = new SpecModel(mlpSpec(128), new Rng(1));
    model.loadStateDict(loadedStateDict(decodeWeightsFile(fixtureBytes('anet-seed0-adam5.safetensors'))));
    const ours = noGrad(() => model.forward(x)).data;
    const onnx = await runOnnx(encodeOnnxExport(mlpSpec(128), model.stateDict(), { config: mlpConfig(128), step: 5, testAccuracy: null }), x.data.slice(), IMAGES);
    expect(onnx.dims).toEqual([IMAGES, 10]);
    expect(maxAbsDiff(onnx.data, ours)).toBeLessThan(1e-5);
    // And it is a real classifier: same argmax as ours for every image, better than chance.
    let correct = 0;
    for (let i = 0; i < IMAGES; i++) {
      const row = Array.from(onnx.data.subarray(i * 10, i * 10 + 10));
      const ourRow = Array.from(ours.subarray(i * 10, i * 10 + 10));
      expect(row.indexOf(Math.max(...row))).toBe(ourRow.indexOf(Math.max(...ourRow)));
      if (row.indexOf(Math.max(...row)) === y[i]) correct++;
    }
    expect(correct / IMAGES).toBeGreaterThan(0.3);
  });

  it('takes any batch size (symbolic N) and any spec (three layers, a bias-free output)', async () => {
    for (const spec of [mlpSpec(24), DEEP_SPEC]) {
      const model = new SpecModel(spec, new Rng(7));
      const one = gatherBatch(test, [3]).x;
      const ours = noGrad(() => model.forward(one)).data;
      const onnx = await runOnnx(encodeOnnxExport(spec, model.stateDict()), one.data.slice(), 1);
      expect(onnx.dims).toEqual([1, 10]);
      expect(maxAbsDiff(onnx.data, ours)).toBeLessThan(1e-5);
    }
  });
});

describe('ONNX export of every preset in onnxruntime-node', () => {
  const test = loadMnist().test;
  const { x } = gatherBatch(
    test,
    Array.from({ length: 16 }, (_, i) => i * 601),
  );

  it.each(PRESET_NAMES)("%s gives the engine's logits to 1e-4", async (name) => {
    const spec = presetSpec(name);
    const model = new SpecModel(spec, new Rng(11));
    model.eval();
    const ours = noGrad(() => model.forward(x)).data;
    const session = await ort.InferenceSession.create(encodeOnnxExport(spec, model.stateDict()));
    try {
      const out = await session.run({ pixels: new ort.Tensor('float32', x.data.slice(), [16, ...spec.input]) });
      expect(out.logits.dims).toEqual([16, 10]);
      expect(maxAbsDiff(out.logits.data as Float32Array, ours)).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });
});
